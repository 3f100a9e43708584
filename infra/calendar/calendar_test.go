package calendardata

import (
	"encoding/json"
	"io/fs"
	"strconv"
	"strings"
	"testing"
)

func TestFilesNamedByYear(t *testing.T) {
	names, err := fs.Glob(FS, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"2025.json": true, "2026.json": true, "2027.json": true, "2028.json": true}
	for _, name := range names {
		delete(want, name)
		b, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Year   int    `json:"year"`
			Source string `json:"source"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := strconv.Itoa(f.Year) + ".json"; got != name {
			t.Errorf("%s: year field %d does not match the file name", name, f.Year)
		}
		if !strings.Contains(f.Source, "unverified") {
			t.Errorf("%s: source %q should say the reading is unverified", name, f.Source)
		}
	}
	for name := range want {
		t.Errorf("missing %s", name)
	}
}
