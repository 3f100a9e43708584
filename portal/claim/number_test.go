package claim

import (
	"testing"
	"time"
)

func TestNumberForUsesTheYearInAlmaty(t *testing.T) {
	tests := []struct {
		at   time.Time
		seq  int64
		want string
	}{
		{time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), 123, "TLP-2026-000123"},
		// 31 Dec 2026, 20:00 UTC is already 1 Jan 2027 in Almaty (UTC+5).
		{time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC), 7, "TLP-2027-000007"},
		{time.Date(2026, 12, 31, 18, 59, 0, 0, time.UTC), 7, "TLP-2026-000007"},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1234567, "TLP-2026-1234567"},
	}
	for _, tt := range tests {
		if got := NumberFor(tt.at, tt.seq); got != tt.want {
			t.Errorf("NumberFor(%s, %d) = %q, want %q", tt.at, tt.seq, got, tt.want)
		}
	}
}
