// Package ident validates Kazakhstan's identifiers: IIN (individuals), BIN (legal entities) and
// KATO (territorial classifier) codes. The rules are read in ../shared/DOMAIN.md.
package ident

import (
	"errors"
	"time"
)

// Errors say which rule a number broke, so that forms can tell the person.
var (
	ErrLength     = errors.New("must be exactly 12 digits")
	ErrDigits     = errors.New("must contain digits only")
	ErrCheckDigit = errors.New("check digit does not match")
	ErrDate       = errors.New("does not start with a valid date")
	ErrCentury    = errors.New("seventh digit must be 1-6")
	ErrEntityType = errors.New("fifth digit must be 4, 5 or 6")
	ErrKATO       = errors.New("KATO code must be 9 digits")
)

var (
	weights1 = [11]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	weights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
)

func digits(s string) ([12]int, error) {
	var d [12]int
	if len(s) != 12 {
		return d, ErrLength
	}
	for i := 0; i < 12; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return d, ErrDigits
		}
		d[i] = int(c - '0')
	}
	return d, nil
}

// CheckDigit computes the 12th digit from the first 11, or returns false when no valid digit exists
// (both weightings give 10).
func CheckDigit(first11 [11]int) (int, bool) {
	sum := func(w [11]int) int {
		s := 0
		for i, d := range first11 {
			s += d * w[i]
		}
		return s % 11
	}
	c := sum(weights1)
	if c == 10 {
		c = sum(weights2)
	}
	if c == 10 {
		return 0, false
	}
	return c, true
}

func checkDigitOK(d [12]int) bool {
	var first [11]int
	copy(first[:], d[:11])
	c, ok := CheckDigit(first)
	return ok && c == d[11]
}

// ValidateIIN checks an individual identification number: date of birth, century/sex digit and
// check digit.
func ValidateIIN(s string) error {
	d, err := digits(s)
	if err != nil {
		return err
	}
	if d[6] < 1 || d[6] > 6 {
		return ErrCentury
	}
	if _, err := IINBirthDate(s); err != nil {
		return err
	}
	if !checkDigitOK(d) {
		return ErrCheckDigit
	}
	return nil
}

// IINBirthDate returns the birth date encoded in an IIN's first seven digits.
func IINBirthDate(s string) (time.Time, error) {
	d, err := digits(s)
	if err != nil {
		return time.Time{}, err
	}
	century := map[int]int{1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}[d[6]]
	if century == 0 {
		return time.Time{}, ErrCentury
	}
	y := century + d[0]*10 + d[1]
	m := d[2]*10 + d[3]
	day := d[4]*10 + d[5]
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || t.Day() != day || t.Month() != time.Month(m) {
		return time.Time{}, ErrDate
	}
	return t, nil
}

// ValidateBIN checks a business identification number: registration month, entity type digit and
// check digit.
func ValidateBIN(s string) error {
	d, err := digits(s)
	if err != nil {
		return err
	}
	if m := d[2]*10 + d[3]; m < 1 || m > 12 {
		return ErrDate
	}
	if d[4] < 4 || d[4] > 6 {
		return ErrEntityType
	}
	if !checkDigitOK(d) {
		return ErrCheckDigit
	}
	return nil
}

// Complete appends the check digit to 11 digits, for generating valid demo numbers. It returns
// false when the 11 digits admit no check digit.
func Complete(first11 string) (string, bool) {
	if len(first11) != 11 {
		return "", false
	}
	var f [11]int
	for i := 0; i < 11; i++ {
		c := first11[i]
		if c < '0' || c > '9' {
			return "", false
		}
		f[i] = int(c - '0')
	}
	c, ok := CheckDigit(f)
	if !ok {
		return "", false
	}
	return first11 + string(rune('0'+c)), true
}

// ValidateKATO checks that a code is 9 digits.
func ValidateKATO(s string) error {
	if len(s) != 9 {
		return ErrKATO
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return ErrKATO
		}
	}
	return nil
}
