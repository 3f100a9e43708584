package receipt

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// ErrBadSignature means a statement's signature does not check out under the given key.
var ErrBadSignature = errors.New("receipt: signature does not match")

// Signer signs receipts with one Ed25519 key. It is safe for concurrent use.
type Signer struct {
	priv  ed25519.PrivateKey
	pub   ed25519.PublicKey
	keyID string
}

// Signed is a receipt's facts with the signature over their public statement.
type Signed struct {
	Facts
	Canonical []byte `json:"canonical"` // the signed bytes: Canonical(Facts)
	Signature []byte `json:"signature"` // Ed25519, 64 bytes
	KeyID     string `json:"key_id"`    // KeyID of the signing key
}

// NewSigner makes a Signer from the TALAP_RECEIPT_KEY value: base64 in the standard or URL-safe
// alphabet, padded or not, surrounding whitespace ignored. Exactly 32 decoded bytes are used as the
// Ed25519 seed; any other non-empty length is hashed with SHA-256 to make the seed. The key's
// strength is only that of the value, so production should use 32 random bytes
// (head -c 32 /dev/urandom | base64).
func NewSigner(seedBase64 string) (*Signer, error) {
	s := strings.TrimSpace(seedBase64)
	if s == "" {
		return nil, errors.New("receipt: key is empty")
	}
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(s); err == nil {
			break
		}
	}
	if err != nil {
		// The value is a secret: say what is wrong, never echo it.
		return nil, errors.New("receipt: key is not base64")
	}
	seed := raw
	if len(seed) != ed25519.SeedSize {
		sum := sha256.Sum256(raw)
		seed = sum[:]
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	return &Signer{priv: priv, pub: pub, keyID: KeyID(pub)}, nil
}

// PublicKey returns the key that checks this Signer's signatures.
func (s *Signer) PublicKey() ed25519.PublicKey { return s.pub }

// KeyID returns KeyID(s.PublicKey()).
func (s *Signer) KeyID() string { return s.keyID }

// KeyID names a public key: the first 16 hex digits of its SHA-256.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// Sign signs the public statement of f (see the package documentation). f must carry a salt
// (NewSalt).
func (s *Signer) Sign(f Facts) (Signed, error) {
	c, err := Canonical(f)
	if err != nil {
		return Signed{}, err
	}
	return Signed{Facts: f, Canonical: c, Signature: ed25519.Sign(s.priv, c), KeyID: s.keyID}, nil
}

// Verify reports whether sig is pub's signature over the public statement of f. It is false for
// facts that have no canonical form and for a key of the wrong length.
func Verify(pub ed25519.PublicKey, f Facts, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize {
		return false // ed25519.Verify would panic
	}
	c, err := Canonical(f)
	if err != nil {
		return false
	}
	return ed25519.Verify(pub, c, sig)
}

// VerifyV1 reports whether canonical is exactly the SchemaV1 statement of f (CanonicalV1) and sig
// is pub's signature over it: the check a stored SchemaV1 receipt must pass before it is re-issued,
// so that re-issuing never vouches for facts the original signature did not cover.
func VerifyV1(pub ed25519.PublicKey, f Facts, canonical, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize {
		return false
	}
	want, err := CanonicalV1(f)
	if err != nil || !bytes.Equal(want, canonical) {
		return false
	}
	return ed25519.Verify(pub, canonical, sig)
}

// VerifyCanonical checks a statement as the public /verify page receives it, without any personal
// data: canonical is the signed JSON and sig its signature. It returns the statement for display
// when sig is pub's signature over canonical and canonical is a well-formed statement in canonical
// form; otherwise ErrBadSignature or the reason the statement is malformed.
func VerifyCanonical(pub ed25519.PublicKey, canonical, sig []byte) (Public, error) {
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, canonical, sig) {
		return Public{}, ErrBadSignature
	}
	return ParseCanonical(canonical)
}
