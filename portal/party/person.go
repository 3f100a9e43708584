package party

import "time"

// Roles a person can hold. Everyone who signs in is a citizen; memberships add the others.
const (
	RoleCitizen = "citizen"
	RoleOfficer = "officer"
	RoleClerk   = "clerk"
	RoleAdmin   = "admin"
)

// Membership says that a person works for a public body, a court, or runs the portal.
type Membership struct {
	ID        int64     `json:"id"`
	IIN       string    `json:"iin"`
	Name      string    `json:"name,omitempty"`
	Role      string    `json:"role"`
	BodyBIN   string    `json:"body_bin,omitempty"`
	CourtID   string    `json:"court_id,omitempty"`
	GrantedBy string    `json:"granted_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// APIToken is an organisation's token, without its secret. It works until ExpiresAt, unless it is
// revoked first (by an officer, or when its creator's membership of the body ends).
type APIToken struct {
	ID        string     `json:"id"`
	BodyBIN   string     `json:"body_bin"`
	Name      string     `json:"name"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	LastUsed  *time.Time `json:"last_used_at,omitempty"` // to the minute
	ExpiresAt time.Time  `json:"expires_at"`
	Expired   bool       `json:"expired"` // ExpiresAt had passed when it was read
}

// Live reports whether the token still works (as read).
func (t APIToken) Live() bool { return t.RevokedAt == nil && !t.Expired }
