// Package mail sends notices by e-mail over SMTP (Mailpit in development and tests), as a
// multipart message with a plain-text and an HTML part.
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// Sender sends through one SMTP server.
type Sender struct {
	Addr string // host:port
	From string // "Name <address>"
}

// Message is one e-mail.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// ID makes the Message-ID stable, so a re-send after a crash can be recognised by the recipient's system.
	ID string
}

// Send delivers m.
func (s Sender) Send(m Message) error {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("mail to: %w", err)
	}
	var buf bytes.Buffer
	boundary := randomBoundary()
	host := from.Address[strings.LastIndex(from.Address, "@")+1:]
	id := m.ID
	if id == "" {
		id = randomBoundary()
	}
	fmt.Fprintf(&buf, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\nMIME-Version: 1.0\r\n",
		from.String(), to.String(), mime.QEncoding.Encode("utf-8", m.Subject), time.Now().Format(time.RFC1123Z), id, host)
	fmt.Fprintf(&buf, "Content-Type: multipart/alternative; boundary=%q\r\n\r\n", boundary)
	for _, part := range []struct{ ctype, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		fmt.Fprintf(&buf, "--%s\r\nContent-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, part.ctype)
		qp := quotedprintable.NewWriter(&buf)
		if _, err := qp.Write([]byte(part.body)); err != nil {
			return err
		}
		qp.Close()
		buf.WriteString("\r\n")
	}
	fmt.Fprintf(&buf, "--%s--\r\n", boundary)
	if err := smtp.SendMail(s.Addr, nil, from.Address, []string{to.Address}, buf.Bytes()); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	return nil
}

func randomBoundary() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
