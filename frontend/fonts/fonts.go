// Package fonts embeds the TrueType fonts Talap draws documents with, so a binary needs no font
// files on the host.
//
// DejaVuSans.ttf and DejaVuSans-Bold.ttf are DejaVu Sans 2.37, copied unmodified from the Debian
// package fonts-dejavu-core; they cover Kazakh and Russian Cyrillic (ә ғ қ ң ө ұ ү һ і). Their
// licence (Bitstream Vera terms, DejaVu changes in the public domain) is LICENSE-DejaVu.txt,
// which must travel with any copy of the fonts.
package fonts

import "embed"

// Names of the files in FS.
const (
	Sans     = "DejaVuSans.ttf"
	SansBold = "DejaVuSans-Bold.ttf"
)

// FS holds the font files, named as above.
//
//go:embed *.ttf
var FS embed.FS
