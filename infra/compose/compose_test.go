package compose

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"

	"talap/portal/config"
	"talap/portal/ident"
)

const (
	composeFile = "../../docker-compose.yml"
	realmFile   = "../../infra/keycloak/talap-realm.json"
)

// secrets are the variables the stack refuses to start without (the secrets, and the public URL,
// which production requires to be https). The values only exist here, so finding one in the
// loaded project proves it came from the environment.
var secrets = map[string]string{
	"TALAP_BASE_URL":           "https://talap.test.example",
	"POSTGRES_PASSWORD":        "test-postgres-password",
	"MINIO_ROOT_PASSWORD":      "test-minio-password",
	"KEYCLOAK_ADMIN_PASSWORD":  "test-keycloak-admin-password",
	"TALAP_OIDC_CLIENT_SECRET": "test-oidc-client-secret",
	"TALAP_RECEIPT_KEY":        "test-receipt-key",
	"TALAP_DEMO_PASSWORD":      "test-demo-password",
}

var allServices = []string{"postgres", "redis", "minio", "mailpit", "keycloak", "portal", "worker"}

func load(t *testing.T, env map[string]string) (*types.Project, error) {
	t.Helper()
	var list []string
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	// Only the variables given here are seen: neither the process environment nor a .env file.
	opts, err := cli.NewProjectOptions([]string{composeFile},
		cli.WithEnv(list),
		cli.WithWorkingDirectory(filepath.Dir(composeFile)),
	)
	if err != nil {
		t.Fatalf("compose options: %v", err)
	}
	return opts.LoadProject(context.Background())
}

func loadProject(t *testing.T) *types.Project {
	t.Helper()
	p, err := load(t, secrets)
	if err != nil {
		t.Fatalf("load %s: %v", composeFile, err)
	}
	return p
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, err := p.GetService(name)
	if err != nil {
		t.Fatalf("service %s: %v", name, err)
	}
	return s
}

func env(t *testing.T, s types.ServiceConfig, name string) string {
	t.Helper()
	v, ok := s.Environment[name]
	if !ok || v == nil {
		t.Fatalf("service %s: environment variable %s is not set", s.Name, name)
	}
	return *v
}

func TestComposeDefinesEveryServiceWithAHealthcheck(t *testing.T) {
	p := loadProject(t)
	for _, name := range allServices {
		s := service(t, p, name)
		if s.HealthCheck == nil || s.HealthCheck.Disable || len(s.HealthCheck.Test) == 0 {
			t.Errorf("service %s has no healthcheck", name)
		}
	}
}

func TestComposeRedisKeepsJobs(t *testing.T) {
	cmd := strings.Join(service(t, loadProject(t), "redis").Command, " ")
	for _, want := range []string{"--appendonly yes", "--maxmemory-policy noeviction"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("redis command %q lacks %q", cmd, want)
		}
	}
}

func TestComposeAppsWaitForHealthyDependencies(t *testing.T) {
	p := loadProject(t)
	want := map[string][]string{
		"portal": {"postgres", "redis", "minio", "mailpit", "keycloak"},
		"worker": {"postgres", "redis", "minio", "mailpit"},
	}
	for app, deps := range want {
		s := service(t, p, app)
		for _, dep := range deps {
			d, ok := s.DependsOn[dep]
			if !ok {
				t.Errorf("%s does not depend on %s", app, dep)
				continue
			}
			if d.Condition != types.ServiceConditionHealthy {
				t.Errorf("%s depends on %s with condition %q, want %q", app, dep, d.Condition, types.ServiceConditionHealthy)
			}
		}
	}
}

func TestComposeAppsRunOneImageWithTheirOwnCommandAndHealthcheck(t *testing.T) {
	p := loadProject(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, app := range []string{"portal", "worker"} {
		s := service(t, p, app)
		if s.Build == nil {
			t.Fatalf("%s has no build section", app)
		}
		if s.Build.Context != root {
			t.Errorf("%s build context = %q, want the repository root %q", app, s.Build.Context, root)
		}
		if s.Build.Dockerfile != "infra/Dockerfile" {
			t.Errorf("%s dockerfile = %q, want infra/Dockerfile", app, s.Build.Dockerfile)
		}
		if _, err := os.Stat(filepath.Join(s.Build.Context, s.Build.Dockerfile)); err != nil {
			t.Errorf("%s dockerfile: %v", app, err)
		}
		if got := []string(s.Command); !slices.Equal(got, []string{app}) {
			t.Errorf("%s command = %q, want [%s]", app, got, app)
		}
		if got, want := []string(s.HealthCheck.Test), []string{"CMD", app, "healthcheck"}; !slices.Equal(got, want) {
			t.Errorf("%s healthcheck = %q, want %q", app, got, want)
		}
	}
	if portal, worker := service(t, p, "portal").Image, service(t, p, "worker").Image; portal != worker {
		t.Errorf("portal image %q and worker image %q differ", portal, worker)
	}
	ports := service(t, p, "portal").Ports
	if len(ports) != 1 || ports[0].Target != 8080 || ports[0].Published != "8080" {
		t.Errorf("portal ports = %+v, want 8080:8080", ports)
	}
}

func TestComposeAppsGetTheConfigurationTheyRead(t *testing.T) {
	p := loadProject(t)
	fixed := map[string]string{
		"TALAP_ENV":              "production",
		"TALAP_HTTP_ADDR":        "0.0.0.0:8080",
		"TALAP_DATABASE_URL":     "postgres://talap:" + secrets["POSTGRES_PASSWORD"] + "@postgres:5432/talap?sslmode=disable",
		"TALAP_REDIS_ADDR":       "redis:6379",
		"TALAP_REDIS_QUEUE_DB":   "0",
		"TALAP_REDIS_SESSION_DB": "1",
		"TALAP_S3_ENDPOINT":      "minio:9000",
		"TALAP_S3_SECRET_KEY":    secrets["MINIO_ROOT_PASSWORD"],
		"TALAP_S3_BUCKET":        "talap-documents",
		"TALAP_SMTP_ADDR":        "mailpit:1025",
		"TALAP_OIDC_CLIENT_ID":   "talap-portal",
		"TALAP_OIDC_IIN_CLAIM":   "iin",
		// Keycloak's default public URL, which it also states as the issuer (KC_HOSTNAME).
		"TALAP_OIDC_ISSUER":        "http://keycloak:8180/realms/talap",
		"TALAP_OIDC_CLIENT_SECRET": secrets["TALAP_OIDC_CLIENT_SECRET"],
		"TALAP_RECEIPT_KEY":        secrets["TALAP_RECEIPT_KEY"],
	}
	present := []string{"TALAP_BASE_URL", "TALAP_S3_ACCESS_KEY", "TALAP_MAIL_FROM"}
	for _, app := range []string{"portal", "worker"} {
		s := service(t, p, app)
		for name, want := range fixed {
			if got := env(t, s, name); got != want {
				t.Errorf("%s: %s = %q, want %q", app, name, got, want)
			}
		}
		for _, name := range present {
			if env(t, s, name) == "" {
				t.Errorf("%s: %s is empty", app, name)
			}
		}
	}
	for _, app := range []string{"portal", "worker"} {
		s := service(t, p, app)
		if _, err := config.LoadFrom(func(name string) string {
			if v := s.Environment[name]; v != nil {
				return *v
			}
			return ""
		}); err != nil {
			t.Errorf("%s would refuse to start: %v", app, err)
		}
	}
	if got, want := env(t, service(t, p, "portal"), "TALAP_S3_ACCESS_KEY"), env(t, service(t, p, "minio"), "MINIO_ROOT_USER"); got != want {
		t.Errorf("portal S3 access key %q is not MinIO's user %q", got, want)
	}
}

func TestComposeKeepsDataInNamedVolumes(t *testing.T) {
	p := loadProject(t)
	want := map[string]string{
		"postgres": "/var/lib/postgresql/data",
		"redis":    "/data",
		"minio":    "/data",
	}
	for name, target := range want {
		found := false
		for _, v := range service(t, p, name).Volumes {
			if v.Type == types.VolumeTypeVolume && v.Target == target {
				found = true
				if _, ok := p.Volumes[v.Source]; !ok {
					t.Errorf("%s mounts volume %q, which is not declared", name, v.Source)
				}
			}
		}
		if !found {
			t.Errorf("%s has no named volume at %s", name, target)
		}
	}
}

func TestComposeKeycloakImportsTheRealm(t *testing.T) {
	p := loadProject(t)
	kc := service(t, p, "keycloak")
	if !strings.HasPrefix(kc.Image, "quay.io/keycloak/keycloak:26") {
		t.Errorf("keycloak image = %q, want quay.io/keycloak/keycloak:26.x", kc.Image)
	}
	cmd := []string(kc.Command)
	if !slices.Contains(cmd, "start-dev") || !slices.Contains(cmd, "--import-realm") {
		t.Errorf("keycloak command = %q, want start-dev --import-realm", cmd)
	}
	if got := env(t, kc, "KC_HEALTH_ENABLED"); got != "true" {
		t.Errorf("KC_HEALTH_ENABLED = %q", got)
	}

	realmDir, err := filepath.Abs("../../infra/keycloak")
	if err != nil {
		t.Fatal(err)
	}
	mounted := false
	for _, v := range kc.Volumes {
		if v.Type == types.VolumeTypeBind && v.Source == realmDir && v.Target == "/opt/keycloak/data/import" {
			mounted = true
		}
	}
	if !mounted {
		t.Errorf("keycloak does not mount %s at /opt/keycloak/data/import: %+v", realmDir, kc.Volumes)
	}

	// The portal must trust the issuer Keycloak states, and talk to it with the secret the realm
	// import gives the client.
	issuer := env(t, service(t, p, "portal"), "TALAP_OIDC_ISSUER")
	if want := env(t, kc, "KC_HOSTNAME") + "/realms/" + readRealm(t).Realm; issuer != want {
		t.Errorf("portal issuer %q, keycloak issues as %q", issuer, want)
	}

	// Every ${VAR} in the realm file is resolved from Keycloak's environment during the import.
	raw, err := os.ReadFile(realmFile)
	if err != nil {
		t.Fatal(err)
	}
	placeholders := regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`).FindAllSubmatch(raw, -1)
	if len(placeholders) == 0 {
		t.Fatal("realm file has no placeholders; where does the client secret come from?")
	}
	portal := service(t, p, "portal")
	for _, m := range placeholders {
		name := string(m[1])
		got := env(t, kc, name)
		if other, ok := portal.Environment[name]; ok && other != nil && *other != got {
			t.Errorf("%s differs between keycloak (%q) and portal (%q)", name, got, *other)
		}
	}
}

func TestComposeRefusesToStartWithoutEachSecret(t *testing.T) {
	for name := range secrets {
		t.Run(name, func(t *testing.T) {
			env := make(map[string]string, len(secrets))
			for k, v := range secrets {
				if k != name {
					env[k] = v
				}
			}
			_, err := load(t, env)
			if err == nil {
				t.Fatalf("loaded without %s: it has a default or is not used", name)
			}
			if !strings.Contains(err.Error(), name) {
				t.Fatalf("error without %s does not name it: %v", name, err)
			}
		})
	}
}

func TestComposeFileHoldsNoSecretValues(t *testing.T) {
	raw, err := os.ReadFile(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for name := range secrets {
		if !strings.Contains(text, "${"+name+":?") {
			t.Errorf("%s is not required with ${%s:?...}", name, name)
		}
		if regexp.MustCompile(`\$\{` + name + `:?-`).MatchString(text) {
			t.Errorf("%s has a default value in the file", name)
		}
	}
	for _, key := range []string{"PASSWORD", "SECRET", "_KEY"} {
		for _, line := range strings.Split(text, "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
			if !ok || !strings.Contains(k, key) || strings.HasPrefix(k, "#") {
				continue
			}
			if v = strings.TrimSpace(v); v != "" && !strings.HasPrefix(v, "${") {
				t.Errorf("literal value for %s: %q", k, line)
			}
		}
	}
}

type realm struct {
	Realm      string            `json:"realm"`
	Enabled    bool              `json:"enabled"`
	Attributes map[string]string `json:"attributes"`
	Components map[string][]struct {
		ProviderID string              `json:"providerId"`
		Config     map[string][]string `json:"config"`
	} `json:"components"`
	Clients []struct {
		ClientID                  string            `json:"clientId"`
		Enabled                   bool              `json:"enabled"`
		Protocol                  string            `json:"protocol"`
		PublicClient              bool              `json:"publicClient"`
		Secret                    string            `json:"secret"`
		StandardFlowEnabled       bool              `json:"standardFlowEnabled"`
		ImplicitFlowEnabled       bool              `json:"implicitFlowEnabled"`
		DirectAccessGrantsEnabled bool              `json:"directAccessGrantsEnabled"`
		RedirectURIs              []string          `json:"redirectUris"`
		Attributes                map[string]string `json:"attributes"`
		ProtocolMappers           []struct {
			Name           string            `json:"name"`
			Protocol       string            `json:"protocol"`
			ProtocolMapper string            `json:"protocolMapper"`
			Config         map[string]string `json:"config"`
		} `json:"protocolMappers"`
	} `json:"clients"`
	Users []struct {
		Username    string              `json:"username"`
		Enabled     bool                `json:"enabled"`
		Attributes  map[string][]string `json:"attributes"`
		Credentials []struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"credentials"`
	} `json:"users"`
}

func readRealm(t *testing.T) realm {
	t.Helper()
	raw, err := os.ReadFile(realmFile)
	if err != nil {
		t.Fatal(err)
	}
	var r realm
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("parse %s: %v", realmFile, err)
	}
	return r
}

func TestRealmHasThePortalClientWithPKCE(t *testing.T) {
	r := readRealm(t)
	if r.Realm != "talap" || !r.Enabled {
		t.Fatalf("realm = %q (enabled %v), want enabled realm talap", r.Realm, r.Enabled)
	}
	for _, c := range r.Clients {
		if c.ClientID != "talap-portal" {
			continue
		}
		if !c.Enabled || c.Protocol != "openid-connect" {
			t.Errorf("client is not an enabled openid-connect client: enabled=%v protocol=%q", c.Enabled, c.Protocol)
		}
		if c.PublicClient {
			t.Error("client is public, want confidential")
		}
		if c.Secret != "${TALAP_OIDC_CLIENT_SECRET}" {
			t.Errorf("client secret = %q, want the ${TALAP_OIDC_CLIENT_SECRET} placeholder", c.Secret)
		}
		if !c.StandardFlowEnabled || c.ImplicitFlowEnabled || c.DirectAccessGrantsEnabled {
			t.Errorf("flows: standard=%v implicit=%v password=%v, want the authorization code flow only",
				c.StandardFlowEnabled, c.ImplicitFlowEnabled, c.DirectAccessGrantsEnabled)
		}
		if got := c.Attributes["pkce.code.challenge.method"]; got != "S256" {
			t.Errorf("pkce.code.challenge.method = %q, want S256", got)
		}
		if !slices.Contains(c.RedirectURIs, "http://localhost:8080/auth/callback") {
			t.Errorf("redirect URIs %q lack http://localhost:8080/auth/callback", c.RedirectURIs)
		}
		for _, m := range c.ProtocolMappers {
			if m.Name != "iin" {
				continue
			}
			if m.Protocol != "openid-connect" || m.ProtocolMapper != "oidc-usermodel-attribute-mapper" {
				t.Errorf("iin mapper is %s/%s, want openid-connect/oidc-usermodel-attribute-mapper", m.Protocol, m.ProtocolMapper)
			}
			want := map[string]string{
				"user.attribute":       "iin",
				"claim.name":           "iin",
				"id.token.claim":       "true",
				"access.token.claim":   "true",
				"userinfo.token.claim": "true",
			}
			for k, v := range want {
				if m.Config[k] != v {
					t.Errorf("iin mapper %s = %q, want %q", k, m.Config[k], v)
				}
			}
			return
		}
		t.Fatal("client talap-portal has no iin protocol mapper")
	}
	t.Fatal("realm has no client talap-portal")
}

func TestRealmDeclaresIINInTheUserProfile(t *testing.T) {
	r := readRealm(t)
	providers := r.Components["org.keycloak.userprofile.UserProfileProvider"]
	if len(providers) != 1 || providers[0].ProviderID != "declarative-user-profile" {
		t.Fatalf("user profile providers = %+v, want one declarative-user-profile", providers)
	}
	cfg := providers[0].Config["kc.user.profile.config"]
	if len(cfg) != 1 {
		t.Fatalf("kc.user.profile.config has %d values, want 1", len(cfg))
	}
	var profile struct {
		Attributes []struct {
			Name        string `json:"name"`
			Permissions struct {
				Edit []string `json:"edit"`
			} `json:"permissions"`
		} `json:"attributes"`
	}
	if err := json.Unmarshal([]byte(cfg[0]), &profile); err != nil {
		t.Fatalf("user profile config: %v", err)
	}
	var names []string
	for _, a := range profile.Attributes {
		names = append(names, a.Name)
		if a.Name == "iin" && slices.Contains(a.Permissions.Edit, "user") {
			t.Error("users may edit their own IIN")
		}
	}
	// Keycloak refuses a profile without its built-in attributes.
	for _, want := range []string{"username", "email", "firstName", "lastName", "iin"} {
		if !slices.Contains(names, want) {
			t.Errorf("user profile lacks attribute %q (has %q)", want, names)
		}
	}
}

func TestRealmDemoUserHasAValidIIN(t *testing.T) {
	r := readRealm(t)
	if len(r.Users) != 1 {
		t.Fatalf("realm has %d users, want one demo user", len(r.Users))
	}
	u := r.Users[0]
	if !u.Enabled {
		t.Errorf("demo user %s is disabled", u.Username)
	}
	iin := u.Attributes["iin"]
	if len(iin) != 1 {
		t.Fatalf("demo user iin attribute = %q, want one value", iin)
	}
	if err := ident.ValidateIIN(iin[0]); err != nil {
		t.Errorf("demo user IIN %s: %v", iin[0], err)
	}
	for _, c := range u.Credentials {
		if !strings.HasPrefix(c.Value, "${") {
			t.Errorf("demo user %s credential is a literal, want an environment placeholder", c.Type)
		}
	}
}

func TestRealmSaysProductionBrokersTheNationalEID(t *testing.T) {
	note := readRealm(t).Attributes["talap.note.identity"]
	for _, want := range []string{"national eID", "identity provider", "iin"} {
		if !strings.Contains(note, want) {
			t.Errorf("realm attribute talap.note.identity does not mention %q: %q", want, note)
		}
	}
}

// Keycloak's import rejects properties it does not know, so notes belong in attributes, not in
// "_comment" keys.
func TestRealmHasNoCommentKeys(t *testing.T) {
	raw, err := os.ReadFile(realmFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if strings.HasPrefix(k, "_") {
					t.Errorf("key %s.%s is not part of Keycloak's realm representation", path, k)
				}
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range v {
				walk(path+"[]", e)
			}
		}
	}
	walk("$", doc)
}
