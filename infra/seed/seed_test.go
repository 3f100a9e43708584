package seed

import (
	"strings"
	"testing"

	"talap/portal/ident"
)

// regionPrefixes are the 20 two-digit KATO region prefixes (DOMAIN.md, Identifiers).
var regionPrefixes = []string{
	"10", "11", "15", "19", "23", "27", "31", "33", "35", "39",
	"43", "47", "55", "59", "61", "62", "63", "71", "75", "79",
}

func checkText(t *testing.T, what string, x Text) {
	t.Helper()
	if strings.TrimSpace(x.KK) == "" || strings.TrimSpace(x.RU) == "" || strings.TrimSpace(x.EN) == "" {
		t.Errorf("%s: name missing in some language: %+v", what, x)
	}
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func TestSourcesMarked(t *testing.T) {
	for _, f := range []string{"courts.json", "bodies.json", "kato.json"} {
		s, err := Source(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s, "Talap") || !strings.Contains(strings.ToLower(s), "unverified") {
			t.Errorf("%s: source note should say it is Talap's unverified reading, got %q", f, s)
		}
	}
}

func TestCourts(t *testing.T) {
	courts, err := Courts()
	if err != nil {
		t.Fatal(err)
	}
	if len(courts) != 20 {
		t.Errorf("got %d courts, want 20", len(courts))
	}
	ids := map[string]bool{}
	cover := map[string]int{}
	for _, c := range courts {
		if c.ID == "" || c.ID != strings.ToLower(c.ID) || strings.ContainsAny(c.ID, " _") {
			t.Errorf("court id %q is not a lowercase slug", c.ID)
		}
		if ids[c.ID] {
			t.Errorf("duplicate court id %q", c.ID)
		}
		ids[c.ID] = true
		checkText(t, c.ID+" name", c.Name)
		checkText(t, c.ID+" city", c.City)
		if len(c.KATOPrefixes) == 0 {
			t.Errorf("%s covers no KATO prefix", c.ID)
		}
		for _, p := range c.KATOPrefixes {
			cover[p]++
		}
	}
	for _, p := range regionPrefixes {
		if cover[p] != 1 {
			t.Errorf("region prefix %s covered by %d courts, want exactly 1", p, cover[p])
		}
	}
	for p := range cover {
		if !contains(regionPrefixes, p) {
			t.Errorf("court covers unknown prefix %q", p)
		}
	}
}

func TestBodies(t *testing.T) {
	courts, err := Courts()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range courts {
		for _, p := range c.KATOPrefixes {
			covered[p] = true
		}
	}
	bodies, err := Bodies()
	if err != nil {
		t.Fatal(err)
	}
	if len(bodies) < 40 {
		t.Errorf("got %d bodies, want at least 40", len(bodies))
	}
	byBIN := map[string]Body{}
	regions := map[string]bool{}
	levels := map[string]bool{}
	for _, b := range bodies {
		if err := ident.ValidateBIN(b.BIN); err != nil {
			t.Errorf("body %q: BIN %s: %v", b.Name.EN, b.BIN, err)
		}
		if b.BIN[4] != '4' || (b.BIN[5] != '0' && b.BIN[5] != '1') {
			t.Errorf("body %q: BIN %s is not a resident legal entity head office or branch", b.Name.EN, b.BIN)
		}
		if _, dup := byBIN[b.BIN]; dup {
			t.Errorf("duplicate BIN %s", b.BIN)
		}
		byBIN[b.BIN] = b
		checkText(t, b.BIN, b.Name)
		if len(b.KATO) != 9 || !isDigits(b.KATO) {
			t.Errorf("body %s: KATO %q is not 9 digits", b.BIN, b.KATO)
			continue
		}
		if !covered[b.KATO[:2]] {
			t.Errorf("body %s: KATO %s is in no court's region", b.BIN, b.KATO)
		}
		regions[b.KATO[:2]] = true
		switch b.Level {
		case LevelCentral, LevelRegional, LevelDistrict:
			levels[b.Level] = true
		default:
			t.Errorf("body %s: unknown level %q", b.BIN, b.Level)
		}
		if b.Level == LevelCentral && b.KATO[:2] != "71" {
			t.Errorf("central body %s is not in Astana (KATO %s)", b.BIN, b.KATO)
		}
	}
	for _, p := range regionPrefixes {
		if !regions[p] {
			t.Errorf("no body in region %s", p)
		}
	}
	for _, l := range []string{LevelCentral, LevelRegional, LevelDistrict} {
		if !levels[l] {
			t.Errorf("no body at level %s", l)
		}
	}
	for _, b := range bodies {
		if b.ParentBIN == "" {
			if b.Level == LevelDistrict {
				t.Errorf("district body %s has no parent", b.BIN)
			}
			continue
		}
		p, ok := byBIN[b.ParentBIN]
		if !ok {
			t.Errorf("body %s: parent_bin %s is not a known body", b.BIN, b.ParentBIN)
			continue
		}
		if p.BIN == b.BIN {
			t.Errorf("body %s is its own parent", b.BIN)
		}
		if b.Level == LevelDistrict && p.Level != LevelRegional {
			t.Errorf("district body %s has a %s parent, want regional", b.BIN, p.Level)
		}
	}
}

func TestRegions(t *testing.T) {
	regions, err := Regions()
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) != 20 {
		t.Errorf("got %d regions, want 20", len(regions))
	}
	prefixes := map[string]bool{}
	codes := map[string]bool{}
	for _, r := range regions {
		checkText(t, r.Code, r.Name)
		if !contains(regionPrefixes, r.Prefix) {
			t.Errorf("region %s: unknown prefix %q", r.Code, r.Prefix)
		}
		if prefixes[r.Prefix] {
			t.Errorf("duplicate region prefix %s", r.Prefix)
		}
		prefixes[r.Prefix] = true
		if r.Code != r.Prefix+"0000000" {
			t.Errorf("region code %s does not match prefix %s", r.Code, r.Prefix)
		}
		if len(r.Districts) < 2 || len(r.Districts) > 6 {
			t.Errorf("region %s has %d districts, want 2-6", r.Code, len(r.Districts))
		}
		for _, d := range r.Districts {
			checkText(t, d.Code, d.Name)
			if len(d.Code) != 9 || !isDigits(d.Code) || !strings.HasPrefix(d.Code, r.Prefix) {
				t.Errorf("district %s: code is not 9 digits starting with %s", d.Code, r.Prefix)
			}
			if d.Code == r.Code {
				t.Errorf("district %s has the region's own code", d.Code)
			}
			if codes[d.Code] {
				t.Errorf("duplicate district code %s", d.Code)
			}
			codes[d.Code] = true
		}
	}

	// Bodies should sit in districts of the picker list, so routing by residence and by
	// respondent location use the same codes.
	bodies, err := Bodies()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bodies {
		if !codes[b.KATO] {
			t.Errorf("body %s: KATO %s is not a district in kato.json", b.BIN, b.KATO)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
