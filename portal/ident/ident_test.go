package ident

import (
	"errors"
	"testing"
)

func TestValidateIIN(t *testing.T) {
	valid, ok := Complete("90010130012")
	if !ok {
		t.Fatal("fixture has no check digit")
	}
	bad := valid[:11] + string(rune('0'+(int(valid[11]-'0')+1)%10))
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"valid male born 1990", valid, nil},
		{"wrong check digit", bad, ErrCheckDigit},
		{"too short", "90010130012", ErrLength},
		{"letters", "9001013001a2", ErrDigits},
		{"century digit 0", "900101000123", ErrCentury},
		{"month 13", "901301300123", ErrDate},
		{"31 February", "900231300123", ErrDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidateIIN(tt.in); !errors.Is(err, tt.want) {
				t.Fatalf("ValidateIIN(%q) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestCheckDigitUsesSecondWeightsWhenFirstGivesTen(t *testing.T) {
	// Find 11 digits whose first weighted sum is 10 mod 11, and check that the second weighting is used.
	for n := 0; n < 100000; n++ {
		var f [11]int
		x := n
		for i := 10; i >= 0 && x > 0; i-- {
			f[i] = x % 10
			x /= 10
		}
		s := 0
		for i, d := range f {
			s += d * weights1[i]
		}
		if s%11 != 10 {
			continue
		}
		s2 := 0
		for i, d := range f {
			s2 += d * weights2[i]
		}
		c, ok := CheckDigit(f)
		if s2%11 == 10 {
			if ok {
				t.Fatalf("%v: both weightings give 10, want invalid", f)
			}
			continue
		}
		if !ok || c != s2%11 {
			t.Fatalf("%v: got %d,%v want %d", f, c, ok, s2%11)
		}
		return
	}
	t.Fatal("no sample found")
}

func TestValidateBIN(t *testing.T) {
	valid, ok := Complete("04014000123")
	if !ok {
		t.Fatal("fixture has no check digit")
	}
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"resident legal entity head office", valid, nil},
		{"bad month", "041340001234", ErrDate},
		{"entity type 7", "040170001234", ErrEntityType},
		{"wrong check digit", valid[:11] + string(rune('0'+(int(valid[11]-'0')+1)%10)), ErrCheckDigit},
		{"empty", "", ErrLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidateBIN(tt.in); !errors.Is(err, tt.want) {
				t.Fatalf("ValidateBIN(%q) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestValidateKATO(t *testing.T) {
	for in, want := range map[string]error{"751110000": nil, "75111000": ErrKATO, "75111000x": ErrKATO} {
		if err := ValidateKATO(in); !errors.Is(err, want) {
			t.Errorf("ValidateKATO(%q) = %v, want %v", in, err, want)
		}
	}
}
