// Package receipt makes the filing receipt: the signed statement a citizen keeps to prove what was
// filed, against whom and when, and the PDF that carries it.
//
// # What is signed, and why
//
// A receipt must be checkable by anyone — the citizen, the respondent body, a court clerk — on the
// public /verify page, yet the page must not reveal who filed, nor let anyone who knows a person
// find that person's claims. So the portal does not sign the Facts as they are. It signs the public
// statement (type [Public]), built from the Facts by [PublicView]:
//
//   - number, filed_at, court, category, kind: the claim's public registration data;
//   - respondent_bin, respondent_name: the respondent is a public body, not a person;
//   - claimant_commitment: a salted commitment to the claimant's IIN and name (below), in their place;
//   - documents: for each document only sha256, size and content_type, never its file name, which
//     can hold personal data ("Иск Иванова И.И.pdf");
//   - schema: the constant [Schema] ("talap.receipt.v2"), naming this layout and binding the
//     signature to receipts.
//
// The exact bytes signed are the canonical JSON of that statement ([Canonical]), for example:
//
//	{"category":"tax","claimant_commitment":"5e0c…","court":"KZ-ALA-SMAS","documents":[{"content_type":"application/pdf","sha256":"9f86…","size":48213}],"filed_at":"2026-11-27T09:05:00Z","kind":"appeal","number":"2026-000123","respondent_bin":"123456789012","respondent_name":"ДГД по г. Алматы","schema":"talap.receipt.v2"}
//
// # The claimant commitment
//
// Each receipt gets its own salt: [SaltSize] (32) random bytes ([NewSalt]), kept with the private
// Facts (Facts.Salt, lowercase hex) and printed only on the claimant's receipt PDF, never on the
// public page. The commitment is
//
//	claimant_commitment = lowercase hex of SHA-256( salt || IIN || "\n" || name )
//
// where salt is the 32 raw bytes (the 64 hex digits on the PDF, decoded), || is concatenation, IIN
// is the 12 digits, "\n" is one line-feed byte (0x0A), and name is the claimant's name exactly as
// printed on the receipt, in UTF-8, with no trimming or case folding ([ClaimantCommitment]). There
// is no separator between the salt and the IIN. The holder of the PDF can check it by hand:
//
//	python3 -c 'import hashlib,sys; s,i,n=sys.argv[1:]; print(hashlib.sha256(bytes.fromhex(s)+(i+"\n"+n).encode()).hexdigest())' SALT IIN 'NAME'
//	{ printf '%s' SALT | xxd -r -p; printf '%s\n%s' IIN 'NAME'; } | sha256sum
//
// and compare the result with claimant_commitment on /verify. Without the salt, knowing a person's
// IIN and name tells nothing about which statements are theirs. Whoever the claimant shows the PDF
// to can link that one receipt to them, as the PDF already names them.
//
// # Links
//
// The QR code and the link printed on the receipt lead to /verify/<token>, where the token
// ([NewToken], 160 random bits, 32 characters A-Z and 2-7) is unguessable and names one receipt;
// the sequential claim number is not used in them. The page also still answers /verify/<number>
// with the claim's newest receipt, for links printed before tokens existed; it never shows the
// token, the salt or personal data.
//
// The receipt PDF ([Signer.RenderPDF]) prints the full facts — claimant name and IIN, document
// names, the salt — beside the signature, so its holder can show what the signature stands for,
// with the category and kind in words of the receipt's language; its texts come from the catalogs
// (frontend/locales, receipt.*). The /verify page shows only the signed public JSON and the result
// ([VerifyCanonical]).
//
// # Version 1 receipts
//
// Receipts issued before the salt ([SchemaV1], "talap.receipt.v1") committed to the claimant with
// the unsalted SHA-256 of IIN + "\n" + name ([LegacyCommitment]), which anyone who knows a person's
// IIN and name can recompute. They are never shown again: the portal re-issues each one as a new
// receipt of the current schema, with a fresh salt and token, signed with the current key, after
// checking the old signature over the old statement ([VerifyV1], [CanonicalV1]). The old number
// link then shows the re-issued statement, and the claimant's receipt PDF, downloaded again, prints
// the new salt and token link. [ParseCanonical] and [VerifyCanonical] refuse SchemaV1 statements.
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
