// Package court holds the specialised administrative courts and which territory (KATO prefixes)
// each covers.
package court

import (
	"strings"

	"talap/portal/lang"
)

// Court is one specialised inter-district administrative court.
type Court struct {
	ID           string    `json:"id"`
	Name         lang.Text `json:"name"`
	City         lang.Text `json:"city"`
	KATOPrefixes []string  `json:"kato_prefixes"`
}

// Covering returns the court whose KATO prefix is the longest match for kato, and that prefix.
// The longest prefix wins so that a district court can be carved out of a region.
func Covering(courts []Court, kato string) (Court, string, bool) {
	var best Court
	bestPrefix := ""
	found := false
	for _, c := range courts {
		for _, p := range c.KATOPrefixes {
			if p != "" && strings.HasPrefix(kato, p) && len(p) > len(bestPrefix) {
				best, bestPrefix, found = c, p, true
			}
		}
	}
	return best, bestPrefix, found
}
