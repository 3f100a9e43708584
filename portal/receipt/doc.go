// Package receipt makes the filing receipt: the signed statement a citizen keeps to prove what was
// filed, against whom and when, and the PDF that carries it.
//
// # What is signed, and why
//
// A receipt must be checkable by anyone — the citizen, the respondent body, a court clerk — on the
// public /verify page, yet the page must not reveal who filed. So the portal does not sign the
// Facts as they are. It signs the public statement (type [Public]), built from the Facts by
// [PublicView]:
//
//   - number, filed_at, court, category, kind: the claim's public registration data;
//   - respondent_bin, respondent_name: the respondent is a public body, not a person;
//   - claimant_commitment: lowercase hex SHA-256 of IIN + "\n" + name (see [ClaimantCommitment])
//     in place of the claimant's IIN and name;
//   - documents: for each document only sha256, size and content_type, never its file name, which
//     can hold personal data ("Иск Иванова И.И.pdf");
//   - schema: the constant [Schema], naming this layout and binding the signature to receipts.
//
// The exact bytes signed are the canonical JSON of that statement ([Canonical]), for example:
//
//	{"category":"tax","claimant_commitment":"5e0c…","court":"KZ-ALA-SMAS","documents":[{"content_type":"application/pdf","sha256":"9f86…","size":48213}],"filed_at":"2026-11-27T09:05:00Z","kind":"appeal","number":"2026-000123","respondent_bin":"123456789012","respondent_name":"ДГД по г. Алматы","schema":"talap.receipt.v1"}
//
// The receipt PDF ([Signer.PDF]) prints the full facts — claimant name and IIN, document names —
// beside the signature, so its holder can show what the signature stands for. The /verify page shows
// only the signed public JSON and the result ([VerifyCanonical]). Anyone who knows the claimant's
// IIN and name can recompute the commitment and match it; the page alone does not disclose them.
//
// Caveat: the commitment is unsalted, as specified. An IIN carries the birth date, so someone who
// already knows a person's name and birth date can test whether that person filed a given claim.
// It hides the claimant from a casual reader of /verify, not from a determined guesser.
//
// # Canonical form
//
// Canonical JSON here is RFC 8785 (JCS) for the values used: object keys sorted, no whitespace,
// strings escaped minimally (only ", \ and control characters; other characters, including
// non-ASCII, are written as UTF-8), integers in plain decimal, times as RFC 3339 strings in UTC
// with whole seconds ("2026-11-27T09:05:00Z", fractions dropped). The encoder is written here rather
// than taken from encoding/json so that a Go upgrade can never change the signed bytes. Strings
// must be valid UTF-8. Document order is kept: it is the order the documents were filed in, and
// reordering them changes the statement. SHA-256 values are written in lowercase hex.
//
// # Keys
//
// Signatures are Ed25519. The key comes from TALAP_RECEIPT_KEY, base64 (standard or URL alphabet,
// padded or not). If it decodes to exactly 32 bytes they are the Ed25519 seed; any other length is
// hashed with SHA-256 and the digest is the seed. A key is named by its key ID: the first 16 hex
// digits of SHA-256 of the public key ([KeyID]).
package receipt
