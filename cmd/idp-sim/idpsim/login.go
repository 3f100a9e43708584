package idpsim

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"

	"golang.org/x/text/language"
)

// The page languages; Russian is the default.
var (
	pageLangs   = []string{"ru", "kk", "en"}
	langMatcher = language.NewMatcher([]language.Tag{language.Russian, language.Kazakh, language.English})
)

// pageLang chooses the page language: an explicit ?lang= (or form field), then the auth request's
// ui_locales, then Accept-Language, then Russian.
func pageLang(r *http.Request, uiLocales []language.Tag) string {
	if l := r.FormValue("lang"); l != "" {
		for _, v := range pageLangs {
			if l == v {
				return v
			}
		}
	}
	if len(uiLocales) > 0 {
		if _, i, conf := langMatcher.Match(uiLocales...); conf != language.No {
			return pageLangs[i]
		}
	}
	if tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language")); err == nil && len(tags) > 0 {
		if _, i, conf := langMatcher.Match(tags...); conf != language.No {
			return pageLangs[i]
		}
	}
	return "ru"
}

// texts holds the page's words in one language.
type texts struct {
	Title, Intro, LangNav, IIN, BIN, Court, HintUnknown string
	Groups                                              map[Kind]string
	ErrExpired, ErrPersona, ErrBadRequest, LoggedOut    string
}

var messages = map[string]texts{
	"kk": {
		Title:       "Ұлттық eID симуляторы",
		Intro:       "Бұл әзірлеу мен тестілеуге арналған симулятор, нақты eGov емес. Кіру үшін демо-тұлғаны таңдаңыз.",
		LangNav:     "Тіл",
		IIN:         "ЖСН",
		BIN:         "БСН",
		Court:       "Сот",
		HintUnknown: "login_hint бойынша демо-тұлға табылмады. Тізімнен таңдаңыз.",
		Groups: map[Kind]string{
			KindCitizen: "Азаматтар",
			KindOfficer: "Мемлекеттік органдардың қызметкерлері",
			KindClerk:   "Сот кеңселерінің қызметкерлері",
			KindAdmin:   "Әкімші",
		},
		ErrExpired:    "Кіру сұрауы табылмады немесе оның мерзімі өтті. Қызметке оралып, кіруді қайта бастаңыз.",
		ErrPersona:    "Таңдалған демо-тұлға табылмады.",
		ErrBadRequest: "Сұрау дұрыс емес.",
		LoggedOut:     "Сіз жүйеден шықтыңыз.",
	},
	"ru": {
		Title:       "Симулятор национального eID",
		Intro:       "Это симулятор для разработки и тестов, а не настоящий eGov. Выберите демо-персону для входа.",
		LangNav:     "Язык",
		IIN:         "ИИН",
		BIN:         "БИН",
		Court:       "Суд",
		HintUnknown: "Демо-персона по login_hint не найдена. Выберите её из списка.",
		Groups: map[Kind]string{
			KindCitizen: "Граждане",
			KindOfficer: "Сотрудники государственных органов",
			KindClerk:   "Работники канцелярий судов",
			KindAdmin:   "Администратор",
		},
		ErrExpired:    "Запрос на вход не найден или устарел. Вернитесь в сервис и начните вход заново.",
		ErrPersona:    "Выбранная демо-персона не найдена.",
		ErrBadRequest: "Неверный запрос.",
		LoggedOut:     "Вы вышли из системы.",
	},
	"en": {
		Title:       "National eID simulator",
		Intro:       "This is a simulator for development and tests, not the real eGov. Choose a demo persona to sign in.",
		LangNav:     "Language",
		IIN:         "IIN",
		BIN:         "BIN",
		Court:       "Court",
		HintUnknown: "No demo persona matches the login_hint. Choose one from the list.",
		Groups: map[Kind]string{
			KindCitizen: "Citizens",
			KindOfficer: "Officers of public bodies",
			KindClerk:   "Court clerks",
			KindAdmin:   "Administrator",
		},
		ErrExpired:    "The sign-in request was not found or has expired. Go back to the service and start signing in again.",
		ErrPersona:    "The chosen demo persona was not found.",
		ErrBadRequest: "Bad request.",
		LoggedOut:     "You have signed out.",
	},
}

var langNames = []struct{ Code, Name string }{
	{"kk", "Қазақша"},
	{"ru", "Русский"},
	{"en", "English"},
}

const pageStyle = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24;line-height:1.4}
header,main{max-width:60rem;margin:0 auto;padding:1rem}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:1rem}
nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
nav a{color:#0b4f8a}nav a[aria-current]{font-weight:bold;text-decoration:none;color:#1b1f24}
.notice{background:#fff4ce;border-left:4px solid #b58100;padding:.5rem 1rem}
.error{background:#fde7e9;border-left:4px solid #a4262c;padding:.5rem 1rem}
ul.personas{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:.75rem}
form{margin:0}
button{width:100%;text-align:left;padding:.75rem 1rem;border:1px solid #8a96a3;border-radius:6px;background:#fff;font:inherit;cursor:pointer}
button:hover{border-color:#0b4f8a;background:#eef5fc}
button:focus-visible{outline:3px solid #0b4f8a;outline-offset:2px}
.name{display:block;font-weight:600}.meta{display:block;font-size:.9em;color:#4a5560}`

// cspHeader allows only the page's own inline style (by hash): no scripts, no framing.
var cspHeader = func() string {
	h := sha256.Sum256([]byte(pageStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(h[:]) +
		"'; frame-ancestors 'none'; base-uri 'none'"
}()

var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.T.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<header>
<h1>{{.T.Title}}</h1>
<nav aria-label="{{.T.LangNav}}"><ul>
{{- range .Langs}}
<li><a href="{{.Href}}" lang="{{.Code}}" hreflang="{{.Code}}"{{if .Current}} aria-current="true"{{end}}>{{.Name}}</a></li>
{{- end}}
</ul></nav>
</header>
<main>
{{- if .Error}}
<p class="error" role="alert">{{.Error}}</p>
{{- end}}
{{- if .Message}}
<p>{{.Message}}</p>
{{- end}}
{{- if .Groups}}
<p>{{.T.Intro}}</p>
{{- if .HintUnknown}}
<p class="notice" role="status">{{.T.HintUnknown}}</p>
{{- end}}
{{- range .Groups}}
<section aria-labelledby="group-{{.Kind}}">
<h2 id="group-{{.Kind}}">{{.Title}}</h2>
<ul class="personas">
{{- range .Personas}}
<li><form method="post" action="/login">
<input type="hidden" name="authRequestID" value="{{$.AuthRequestID}}">
<input type="hidden" name="lang" value="{{$.Lang}}">
<button type="submit" name="iin" value="{{.IIN}}"><span class="name">{{.Name}}</span>
<span class="meta">{{$.T.IIN}} {{.IIN}}</span>
{{- with .Org}}
<span class="meta">{{.In $.Lang}}</span>
{{- end}}
{{- if .BodyBIN}}
<span class="meta">{{$.T.BIN}} {{.BodyBIN}}</span>
{{- end}}
{{- if .CourtID}}
<span class="meta">{{$.T.Court}}: {{.CourtID}}</span>
{{- end}}
</button>
</form></li>
{{- end}}
</ul>
</section>
{{- end}}
{{- end}}
</main>
</body>
</html>
`))

type langLink struct {
	Code, Name, Href string
	Current          bool
}

type group struct {
	Kind     Kind
	Title    string
	Personas []Persona
}

type pageData struct {
	Lang          string
	T             texts
	Style         template.CSS
	Langs         []langLink
	AuthRequestID string
	Groups        []group
	HintUnknown   bool
	Error         string
	Message       string
}

// login serves the persona picker at /login, after the example server's login UI.
type login struct {
	store    *storage
	callback func(context.Context, string) string
	personas []Persona
	logger   *slog.Logger
}

func (l *login) page(lang, authRequestID string, q url.Values) pageData {
	d := pageData{Lang: lang, T: messages[lang], Style: template.CSS(pageStyle), AuthRequestID: authRequestID}
	for _, ln := range langNames {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("lang", ln.Code)
		d.Langs = append(d.Langs, langLink{Code: ln.Code, Name: ln.Name, Href: "?" + v.Encode(), Current: ln.Code == lang})
	}
	return d
}

func (l *login) pickerData(lang, authRequestID string) pageData {
	d := l.page(lang, authRequestID, url.Values{"authRequestID": {authRequestID}})
	for _, k := range Kinds {
		g := group{Kind: k, Title: d.T.Groups[k]}
		for _, p := range l.personas {
			if p.Kind == k {
				g.Personas = append(g.Personas, p)
			}
		}
		if len(g.Personas) > 0 {
			d.Groups = append(d.Groups, g)
		}
	}
	return d
}

func (l *login) render(w http.ResponseWriter, status int, d pageData) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", cspHeader)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	if err := pageTmpl.Execute(w, d); err != nil {
		l.logger.Error("render login page", "err", err)
	}
}

func (l *login) fail(w http.ResponseWriter, r *http.Request, status int, lang, msg string) {
	d := l.page(lang, "", r.URL.Query())
	d.Error = msg
	l.render(w, status, d)
}

// show handles GET /login?authRequestID=...: signs the login_hint persona in straight away when it
// is known, else renders the picker.
func (l *login) show(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	req, err := l.store.authRequestView(id)
	if err != nil {
		lang := pageLang(r, nil)
		l.fail(w, r, http.StatusNotFound, lang, messages[lang].ErrExpired)
		return
	}
	if req.loginHint != "" {
		if _, ok := l.store.persona(req.loginHint); ok {
			l.complete(w, r, id, req.loginHint, pageLang(r, req.uiLocales))
			return
		}
	}
	lang := pageLang(r, req.uiLocales)
	d := l.pickerData(lang, id)
	d.HintUnknown = req.loginHint != ""
	l.render(w, http.StatusOK, d)
}

// choose handles the picker's POST: authRequestID and iin.
func (l *login) choose(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		lang := pageLang(r, nil)
		l.fail(w, r, http.StatusBadRequest, lang, messages[lang].ErrBadRequest)
		return
	}
	id := r.PostForm.Get("authRequestID")
	req, err := l.store.authRequestView(id)
	if err != nil {
		lang := pageLang(r, nil)
		l.fail(w, r, http.StatusNotFound, lang, messages[lang].ErrExpired)
		return
	}
	lang := pageLang(r, req.uiLocales)
	iin := r.PostForm.Get("iin")
	if _, ok := l.store.persona(iin); !ok {
		d := l.pickerData(lang, id)
		d.Error = messages[lang].ErrPersona
		l.render(w, http.StatusUnprocessableEntity, d)
		return
	}
	l.complete(w, r, id, iin, lang)
}

func (l *login) complete(w http.ResponseWriter, r *http.Request, id, iin, lang string) {
	if err := l.store.completeLogin(id, iin); err != nil {
		msg := messages[lang].ErrExpired
		if !errors.Is(err, errNotFound) {
			msg = messages[lang].ErrBadRequest
		}
		l.fail(w, r, http.StatusNotFound, lang, msg)
		return
	}
	l.logger.InfoContext(r.Context(), "persona signed in", "iin", iin)
	http.Redirect(w, r, l.callback(r.Context(), id), http.StatusSeeOther)
}

// loggedOut is the landing page after end_session without a post_logout_redirect_uri.
func (l *login) loggedOut(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(r, nil)
	d := l.page(lang, "", r.URL.Query())
	d.Message = messages[lang].LoggedOut
	l.render(w, http.StatusOK, d)
}
