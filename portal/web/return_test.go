package web

import (
	"net/url"
	"strings"
	"testing"
)

// browserTarget resolves a Location header as a browser would (WHATWG URL: tabs and newlines
// removed, backslashes read as slashes in http(s) URLs) against the portal's own origin.
func browserTarget(loc string) (*url.URL, error) {
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(strings.Trim(loc, "\x00 \x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"))
	ref, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse("https://talap.example.kz/auth/callback")
	return base.ResolveReference(ref), nil
}

// FuzzSafeReturn: whatever sign-in is asked to return to, the browser stays on the portal.
// `go test -fuzz FuzzSafeReturn ./portal/web/` explores beyond the seeds.
func FuzzSafeReturn(f *testing.F) {
	for _, seed := range []string{
		"/claims/1", "/claims?status=draft&cursor=abc", "/courts/almaty/queue", "",
		"//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example/", "/\n/evil.example",
		"/\r\n/evil.example", "/%09/evil.example/", "/%2F%2Fevil.example", "/%2f/evil.example", "%2F%2Fevil.example",
		"/@evil.example", "//user@evil.example", "https://evil.example", "http:evil.example", "javascript:alert(1)",
		"/\u2215\u2215evil.example", "/\uff0f\uff0fevil.example", "/\u2044evil.example", " //evil.example", "\x00//evil.example",
		"/.//evil.example", "/%5Cevil.example", "/%5C%5Cevil.example", "/?next=//evil.example", "/#//evil.example",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, to string) {
		got := safeReturn(to)
		if got != to && got != "/claims" {
			t.Fatalf("safeReturn(%q) = %q: neither the input nor the default", to, got)
		}
		u, err := browserTarget(got)
		if err != nil {
			t.Fatalf("safeReturn(%q) = %q, which does not parse: %v", to, got, err)
		}
		if u.Scheme != "https" || u.Host != "talap.example.kz" || u.User != nil {
			t.Fatalf("safeReturn(%q) = %q sends the browser to %s", to, got, u)
		}
		if strings.HasPrefix(u.EscapedPath(), "//") {
			t.Fatalf("safeReturn(%q) = %q keeps a network-path prefix", to, got)
		}
	})
}

func TestSafeReturnRefusesKnownTricks(t *testing.T) {
	for _, to := range []string{"//evil.example", "/\\evil.example", "/\t/evil.example/", "/\n/evil", "/\u2215\u2215evil.example",
		"/\uff0fevil", "https://evil.example", "/%2F%2Fevil.example", "javascript:alert(1)", "relative/path"} {
		if got := safeReturn(to); got != "/claims" {
			t.Errorf("safeReturn(%q) = %q, want /claims", to, got)
		}
	}
	for _, to := range []string{"/claims/5f0e", "/courts/almaty/queue?status=validated", "/@evil.example"} {
		if got := safeReturn(to); got != to {
			t.Errorf("safeReturn(%q) = %q, want it kept", to, got)
		}
	}
}
