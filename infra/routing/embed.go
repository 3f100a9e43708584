// Package routingdata holds Talap's court-routing rules as data (rules.json): which rule of the
// Administrative Procedure and Process Code (APPK) chooses the court, in what order, whether each
// rule is switched on, and the words used to explain the choice. Parts of the reading are
// unverified and marked so in the file; staff can edit it. Package talap/portal/routing parses and
// applies it.
package routingdata

import _ "embed"

// Rules is the content of rules.json.
//
//go:embed rules.json
var Rules []byte
