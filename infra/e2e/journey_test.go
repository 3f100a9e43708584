package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/go-pdf/fpdf"

	"talap/infra/seed"
)

// scenario is one language's journey: who files against whom, from where.
type scenario struct {
	lang     string
	citizen  int    // index among the citizen personas
	search   string // what the citizen types to find the respondent
	bodyBIN  string // the respondent, a body with a demo officer
	place    string // the citizen's residence (KATO), which decides the court
	subject  string
	grounds  string
	demands  string
	response string // the officer's answer
	reason   string // the clerk's reason for leaving the claim without motion
	fixed    string // the demands as corrected
}

var scenarios = []scenario{
	{lang: "kk", citizen: 0, search: "Алматы қаласының әкімдігі", bodyBIN: "041040339192", place: "751110000",
		subject: "Тұрғын үй кезегіне қоюдан бас тарту", grounds: "Әкімдік негізсіз бас тартты.\nҚұжаттардың бәрі берілген.",
		demands: "Шешімді жою.", response: "Әкімдік талаппен келіспейді: құжаттар толық берілмеген.",
		reason: "Талаптарды нақтылаңыз: қай шешімнің күшін жою сұралады.", fixed: "2025 жылғы шешімнің күшін жоюды және мені кезекке қоюды міндеттеуді сұраймын."},
	{lang: "ru", citizen: 1, search: "жилищной инспекции города Астаны", bodyBIN: "120340523848", place: "711210000",
		subject: "Отказ в проверке управляющей компании", grounds: "Инспекция не рассмотрела жалобу по существу.\nОтвет формальный.",
		demands: "Признать отказ незаконным.", response: "Инспекция возражает: жалоба рассмотрена в срок.",
		reason: "Уточните требования: какое именно решение обжалуется.", fixed: "Признать незаконным отказ инспекции и обязать провести проверку."},
	{lang: "en", citizen: 2, search: "Akimat of Karaganda", bodyBIN: "981040703102", place: "351010000",
		subject: "Refusal to register a land plot", grounds: "The akimat refused without giving a reason.\nAll documents were filed.",
		demands: "Annul the refusal.", response: "The akimat disagrees: the application was incomplete.",
		reason: "State exactly which decision you contest.", fixed: "Annul the refusal of 2025 and order the akimat to register the plot."},
}

// TestBrowser runs the journeys in a real browser: in each language a citizen files a claim, the
// respondent's officer answers it, the court's clerk leaves it without motion, the citizen corrects
// it, the clerk registers it and the citizen downloads the receipt; then filing without JavaScript.
// Every page is checked with axe-core.
func TestBrowser(t *testing.T) {
	start0 := time.Now()
	h := start(t)
	dir := t.TempDir()
	t.Run("axe-finds-violations", h.axeSelfTest)
	for _, sc := range scenarios {
		t.Run("journey/"+sc.lang, func(t *testing.T) { h.journey(t, sc, dir) })
	}
	t.Run("filing-without-javascript", func(t *testing.T) {
		h.fileWithoutJS(t, scenario{lang: "ru", citizen: 3, search: "Акимат города Шымкента", bodyBIN: "120940630968", place: "791610000",
			subject: "Отказ в выдаче справки", grounds: "Акимат не выдал справку.", demands: "Обязать выдать справку."}, dir)
	})
	h.mu.Lock()
	pages := make([]string, 0, len(h.checked))
	for p := range h.checked {
		pages = append(pages, p)
	}
	h.mu.Unlock()
	sort.Strings(pages)
	t.Logf("axe-core checked %d page loads, %d distinct pages (language/page): %s", h.runs, len(pages), strings.Join(pages, " "))
	t.Logf("browser tests took %s (axe %s, step screenshots %s)", time.Since(start0).Round(time.Second), h.axeTime.Round(time.Millisecond), h.shotTime.Round(time.Millisecond))
}

// pdfFile writes a real PDF of about pages×4 KB (uncompressed text) and returns its path.
func pdfFile(t *testing.T, dir, name, text string, pages int) string {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 14)
	pdf.Cell(40, 10, text)
	pdf.SetFont("Helvetica", "", 9)
	for p := range pages {
		pdf.AddPage()
		for i := range 40 {
			pdf.Cell(0, 6, fmt.Sprintf("%s, page %d, line %d: %s", text, p+1, i+1, strings.Repeat("evidence ", 8)))
			pdf.Ln(6)
		}
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func day(daysAgo int) time.Time { return time.Now().AddDate(0, 0, -daysAgo) }

func citizenPersona(t *testing.T, i int) seed.Persona {
	n := 0
	return persona(t, func(p seed.Persona) bool {
		if p.Kind != "citizen" {
			return false
		}
		n++
		return n == i+1
	})
}

// signIn opens the portal in the tab's language (remembered by the cookie from then on), and signs
// in through the simulator's persona picker by clicking.
func (tb *tab) signIn(p seed.Persona) {
	tb.t.Helper()
	tb.goTo(tb.h.Portal+"/?lang="+tb.lang, "home")
	tb.clickTo(`header a[href="/auth/login"]`, "eid-picker")
	tb.clickTo(`button[name="iin"][value="`+p.IIN+`"]`, "after-sign-in")
	if who := tb.text(".who"); who != p.Name {
		tb.fail("signed in as %q, want %q", who, p.Name)
	}
}

var (
	claimPath   = regexp.MustCompile(`^/claims/([0-9a-f-]{36})`)
	claimNumber = regexp.MustCompile(`TLP-\d{4}-\d{6}`)
)

const continueButton = `main form[method=post] .button-row button:not([name=action])`

// keyboardCategory completes the category step with Tab, Enter and Space only: Enter on Continue
// with nothing chosen shows the error summary, which takes the focus; Tab reaches the first answer,
// Space chooses it, Tab reaches Continue and Enter goes on.
func (tb *tab) keyboardCategory() {
	tb.t.Helper()
	tb.tabTo(continueButton)
	tb.navigate("press Enter on Continue", chromedp.KeyEvent(kb.Enter))
	tb.page("step-category-error")
	if !tb.exists(".error-summary") {
		tb.fail("no error summary after continuing with no answer")
	}
	tb.focusedOnErrorSummary()
	tb.tabTo(`input[name=category]`)
	tb.do("press Space", chromedp.KeyEvent(" "))
	if v := eval[string](tb, `(document.querySelector("input[name=category]:checked") || {value: ""}).value`); v != "housing" {
		tb.fail("Space chose %q, want housing", v)
	}
	tb.tabTo(continueButton)
	tb.navigate("press Enter on Continue", chromedp.KeyEvent(kb.Enter))
}

// focusedOnErrorSummary checks that the page put the focus on its error summary.
func (tb *tab) focusedOnErrorSummary() {
	tb.t.Helper()
	if focused := eval[bool](tb, `document.activeElement !== null && document.activeElement.matches("[data-error-summary]")`); !focused {
		tb.fail("focus is on %s, not on the error summary", eval[string](tb, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "nothing"`))
	}
}

// tabTo presses Tab until the focus is on what sel selects.
func (tb *tab) tabTo(sel string) {
	tb.t.Helper()
	js := fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%q)`, sel)
	for range 60 {
		tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
		if eval[bool](tb, js) {
			return
		}
	}
	tb.fail("60 presses of Tab never reached %s", sel)
}

// fileClaim fills every step of a new claim by typing and clicking, from the category question to
// the check page, and returns the claim's id. With JavaScript on, the upload shows its progress bar.
func (tb *tab) fileClaim(sc scenario, dir string, keyboard bool) string {
	tb.t.Helper()
	tb.clickTo(`header a[href="/claims"]`, "my-claims")
	tb.clickTo(`form[action="/claims/new"] button`, "step-category")
	m := claimPath.FindStringSubmatch(tb.location())
	if m == nil {
		tb.fail("a new claim did not open its first step")
	}
	id := m[1]
	step := func(name string) string { return "/claims/" + id + "/step/" + name }

	if keyboard {
		tb.keyboardCategory()
	} else {
		tb.click(`input[name=category][value=housing]`)
		tb.navigate("continue", chromedp.Click(chromedp.CSS(continueButton)))
	}
	tb.page("step-respondent")
	tb.typeIn(`#q`, sc.search)
	tb.clickTo(`form[role=search] button`, "step-respondent-results")
	tb.click(`input[name=respondent_bin][value="` + sc.bodyBIN + `"]`)
	tb.clickTo(continueButton, "step-kind")
	tb.click(`input[name=kind][value=challenge]`)
	tb.clickTo(continueButton, "step-act")
	tb.typeIn(`#f-contested_act-number`, fmt.Sprintf("E2E-%s-%d", sc.lang, time.Now().UnixNano()))
	tb.typeDate(`#f-contested_act-issued_on`, day(40))
	tb.typeDate(`#f-contested_act-received_on`, day(35))
	tb.click(`#f-act_electronic`)
	tb.clickTo(continueButton, "step-pretrial")
	// The dates of the pre-trial complaint: form.js shows them only with the "I complained" answer;
	// without JavaScript they are always there.
	if shown := eval[bool](tb, `!document.getElementById("pretrial-dates").hidden`); shown != tb.noJS {
		tb.fail("pre-trial dates shown=%v before answering, with JavaScript %s", shown, map[bool]string{true: "off", false: "on"}[tb.noJS])
	}
	tb.click(`#f-pretrial`)
	tb.typeDate(`#f-pretrial-complaint_filed_on`, day(30))
	tb.typeDate(`#f-pretrial-decision_received_on`, day(10))
	if !tb.noJS {
		// The live deadline hint appears as the dates are typed.
		tb.waitVisible(`[data-deadline-panel]`)
	}
	tb.clickTo(continueButton, "step-details")
	tb.typeIn(`#f-subject`, sc.subject)
	tb.typeIn(`#f-grounds`, sc.grounds)
	tb.typeIn(`#f-demands`, sc.demands)
	tb.clickTo(continueButton, "step-contacts")
	tb.choose(`#f-claimant-residence_kato`, sc.place)
	tb.typeIn(`#f-claimant-phone`, "+7 701 123 45 67")
	tb.typeIn(`#f-claimant-email`, "citizen-"+sc.lang+"@example.kz")
	tb.click(`#f-hear_at_residence`)
	tb.clickTo(continueButton, "step-documents")
	if got := tb.location(); got != step("documents") {
		tb.fail("after contacts: at %s, want %s", got, step("documents"))
	}

	// With JavaScript, the first upload goes over a slow line, so that the progress bar has
	// something to show.
	if !tb.noJS {
		tb.throttleUploads(64_000)
	}
	tb.upload("contested_act", pdfFile(tb.t, dir, "decision-"+sc.lang+".pdf", "Decision "+sc.lang, 50))
	if tb.throttled {
		tb.throttleUploads(0)
	}
	tb.upload("duty_payment", pdfFile(tb.t, dir, "payment-"+sc.lang+".pdf", "Payment receipt "+sc.lang, 1))
	tb.clickTo(`.form-page > .button-row > a.button:not(.button-secondary)`, "step-duty")
	tb.click(`input[name=duty][value=paid]`)
	tb.clickTo(continueButton, "step-check")
	if tb.exists(`#missing`) {
		tb.fail("the check page says something is missing: %s", tb.text("#missing"))
	}
	return id
}

// throttleUploads limits uploads to the portal's API to bytesPerSecond (0: no limit).
func (tb *tab) throttleUploads(bytesPerSecond float64) {
	tb.t.Helper()
	var rules []*network.Conditions
	tb.throttled = bytesPerSecond > 0
	if tb.throttled {
		rules = []*network.Conditions{{URLPattern: tb.h.Portal + "/api/v1/claims/*", Latency: 0, DownloadThroughput: -1, UploadThroughput: bytesPerSecond}}
	}
	tb.do("throttle uploads", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: rules})
		return err
	}))
}

// waitVisible waits until what sel selects is shown.
func (tb *tab) waitVisible(sel string) {
	tb.t.Helper()
	tb.do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// upload attaches a file of a kind on the documents step. With JavaScript on, the file goes to the
// API with a progress bar, which must reach 100; without, the form posts it.
func (tb *tab) upload(kind, file string) {
	tb.t.Helper()
	tb.choose(`#f-doc_kind`, kind)
	tb.do("attach "+file, chromedp.SetUploadFiles(chromedp.CSS(`#f-file`), []string{file}))
	if !tb.noJS {
		// Record what the progress bar shows; the page reloads when the upload is done, so the
		// values go to sessionStorage, which the reloaded page still has.
		eval[bool](tb, `(() => {
			sessionStorage.removeItem("e2e-progress");
			const bar = document.getElementById("upload-bar"), box = document.querySelector("[data-upload-progress]");
			const seen = [];
			new MutationObserver(() => {
				seen.push({value: bar.value, shown: !box.hidden, text: document.querySelector("[data-upload-percent]").textContent});
				sessionStorage.setItem("e2e-progress", JSON.stringify(seen));
			}).observe(box, {attributes: true, subtree: true, childList: true, characterData: true});
			return true;
		})()`)
	}
	if tb.throttled {
		// A slow upload: check the page while the progress bar is shown, then wait for the reload.
		ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
		defer cancel()
		loads := chromedp.Events(ctx, page.LoadEventFired)
		tb.click(`form[data-upload] button[type=submit]`)
		tb.do("wait for the progress bar", chromedp.WaitVisible(chromedp.CSS(`[data-upload-progress]`)))
		tb.page("step-documents-uploading")
		for _, err := range loads {
			if err != nil {
				tb.fail("upload %s: %v", file, err)
			}
			break
		}
	} else {
		tb.navigate("upload "+file, chromedp.Click(chromedp.CSS(`form[data-upload] button[type=submit]`)))
	}
	tb.page("step-documents-added")
	name := filepath.Base(file)
	if !strings.Contains(tb.text(".doc-list"), name) {
		tb.fail("%s is not listed after the upload", name)
	}
	if tb.noJS {
		return
	}
	type progress struct {
		Value float64 `json:"value"`
		Shown bool    `json:"shown"`
		Text  string  `json:"text"`
	}
	seen := eval[[]progress](tb, `JSON.parse(sessionStorage.getItem("e2e-progress") || "[]")`)
	if len(seen) == 0 {
		tb.fail("the upload showed no progress bar")
	}
	last := seen[len(seen)-1]
	if last.Value != 100 || !last.Shown || last.Text != "100%" {
		tb.fail("the progress bar ended at %+v, want 100 shown with 100%%; it went %+v", last, seen)
	}
	if tb.throttled && !slices.ContainsFunc(seen, func(p progress) bool { return p.Value > 0 && p.Value < 100 }) {
		tb.fail("a slow upload's progress bar went straight to 100: %+v", seen)
	}
	var values []string
	for _, p := range seen {
		if v := fmt.Sprint(p.Value); len(values) == 0 || values[len(values)-1] != v {
			values = append(values, v)
		}
	}
	tb.t.Logf("%s: the progress bar of %s went %s", tb.lang, name, strings.Join(values, " → "))
}

// submit files the claim from the check page and waits until the worker has routed it.
func (tb *tab) submitAndWaitRouted(name string) {
	tb.t.Helper()
	tb.clickTo(`form[action$="/submit"] button`, name)
	tb.waitFor("the claim to be routed", time.Minute, func() bool { return tb.exists(`h1 .tag-routed`) })
	tb.page(name + "-routed")
	court := tb.text(`.summary-list .summary-row:last-child dd`)
	why := tb.text(`#why + p`)
	if court == "" || why == "" || tb.exists(`.summary-list .summary-row:last-child dd .muted`) {
		tb.fail("routed claim page without a court (%q) or an explanation (%q)", court, why)
	}
}

// journey is the whole story of one claim in one language.
func (h *harness) journey(t *testing.T, sc scenario, dir string) {
	citizenP := citizenPersona(t, sc.citizen)
	officerP := persona(t, func(p seed.Persona) bool { return p.Kind == "officer" && p.BodyBIN == sc.bodyBIN })

	// (a) The citizen signs in, files a claim (one step by keyboard alone) and sees it routed.
	citizen := h.newTab(t, sc.lang, "citizen")
	citizen.signIn(citizenP)
	id := citizen.fileClaim(sc, dir, true)
	citizen.submitAndWaitRouted("claim-filed")
	number := claimNumber.FindString(citizen.text("h1"))
	if number == "" {
		citizen.fail("no claim number in the heading %q", citizen.text("h1"))
	}
	courtID := eval[string](citizen, `fetch("/api/v1/claims/`+id+`", {headers: {Accept: "application/json"}}).then(r => r.json()).then(c => c.court.id)`)
	clerkP := persona(t, func(p seed.Persona) bool { return p.Kind == "clerk" && p.CourtID == courtID })

	// (b) The respondent's officer answers.
	officer := h.newTab(t, sc.lang, "officer")
	officer.signIn(officerP)
	officer.clickTo(`header a[href="/workspace"]`, "workspace")
	officer.clickTo(`main a[href="/bodies/`+sc.bodyBIN+`/claims"]`, "body-claims")
	officer.clickTo(`a[href="/claims/`+id+`/respond"]`, "respond")
	officer.typeIn(`#text`, sc.response)
	officer.do("attach the response's file", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{pdfFile(t, dir, "response-"+sc.lang+".pdf", "Response "+sc.lang, 1)}))
	officer.clickTo(`main form button[type=submit]`, "body-claims-responded")
	if !strings.Contains(officer.text(`main table`), number) {
		officer.fail("claim %s is not in the body's list", number)
	}
	officer.clickTo(`main a[href="/claims/`+id+`"]`, "claim-as-officer")

	// (c) The court's clerk leaves it without motion.
	clerk := h.newTab(t, sc.lang, "clerk")
	clerk.signIn(clerkP)
	clerk.clickTo(`header a[href="/workspace"]`, "workspace")
	clerk.clickTo(`main a[href="/courts/`+courtID+`/queue"]`, "court-queue")
	clerk.clickTo(`a[href="/claims/`+id+`/decide"]`, "decide")
	// Applying nothing fails, and the focus goes to what went wrong.
	clerk.clickTo(`main form button[type=submit]`, "decide-error")
	clerk.focusedOnErrorSummary()
	clerk.click(`input[name=action][value=leave_without_motion]`)
	// The third group of boxes: defects to correct (the second is the grounds for a return).
	clerk.click(`main form fieldset:nth-of-type(3) input[type=checkbox]`)
	clerk.typeDate(`#correction_due`, day(-14))
	clerk.typeIn(`#reason`, sc.reason)
	clerk.clickTo(`main form button[type=submit]`, "court-queue-decided")
	if clerk.exists(`a[href="/claims/` + id + `/decide"]`) {
		clerk.fail("a claim left without motion is still in the queue")
	}

	// (d) The citizen reads why, corrects the demands and resubmits.
	citizen.clickTo(`header a[href="/claims"]`, "my-claims-to-correct")
	citizen.clickTo(`a[href="/claims/`+id+`"].button`, "claim-left-without-motion")
	if !strings.Contains(citizen.text("section[aria-labelledby=decisions]"), sc.reason) {
		citizen.fail("the claim page does not quote the clerk's reason %q", sc.reason)
	}
	citizen.clickTo(`.next-step a[href="/claims/`+id+`/step/check"]`, "step-check-correcting")
	citizen.clickTo(`a[href^="/claims/`+id+`/step/details?from=check#f-demands"]`, "step-details-correcting")
	citizen.replaceText(`#f-demands`, sc.fixed)
	citizen.clickTo(continueButton, "step-check-corrected")
	if !strings.Contains(citizen.text("main"), sc.fixed) {
		citizen.fail("the check page does not show the corrected demands")
	}
	citizen.submitAndWaitRouted("claim-resubmitted")

	// (e) The clerk registers it.
	clerk.clickTo(`header a[href="/workspace"]`, "workspace")
	clerk.clickTo(`main a[href="/courts/`+courtID+`/queue"]`, "court-queue-corrected")
	clerk.clickTo(`a[href="/claims/`+id+`/decide"]`, "decide-corrected")
	clerk.click(`input[name=action][value=register]`)
	clerk.clickTo(`main form button[type=submit]`, "court-queue-registered")

	// (f) The citizen sees the case number and downloads the receipt.
	citizen.do("reload the claim page", chromedp.Reload())
	citizen.page("claim-registered")
	if !citizen.exists(`h1 .tag-registered`) {
		citizen.fail("claim not shown as registered: %q", citizen.text("h1"))
	}
	if citizen.exists(`.confirmation`) {
		citizen.fail("the registered claim's page still confirms the filing (reloaded with ?filed=1)")
	}
	caseNo := eval[string](citizen, `fetch("/api/v1/claims/`+id+`", {headers: {Accept: "application/json"}}).then(r => r.json()).then(c => c.case_number || "")`)
	if caseNo == "" || !strings.Contains(citizen.text(".summary-list"), caseNo) {
		citizen.fail("the registered claim's page does not show its case number %q", caseNo)
	}
	receipt := citizen.attr(`a[href$="/receipt.pdf"]`, "href")
	if status, _ := citizen.fetchPDF(receipt); status != 200 {
		citizen.fail("receipt: status %d", status)
	}
	citizen.clickTo(`a[href^="/verify/"]`, "verify")
}

func (tb *tab) attr(sel, name string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(document.querySelector(%q) || {getAttribute: () => ""}).getAttribute(%q) || ""`, sel, name))
}

// fileWithoutJS files a claim with JavaScript disabled: every step, the upload and the submission
// are plain form posts.
func (h *harness) fileWithoutJS(t *testing.T, sc scenario, dir string) {
	citizen := h.newTab(t, sc.lang, "citizen")
	citizen.disableJS()
	citizen.signIn(citizenPersona(t, sc.citizen))
	citizen.fileClaim(sc, dir, false)
	citizen.submitAndWaitRouted("claim-filed")
}

// axeSelfTest makes sure the checks can fail: on a page spoiled on purpose (an image without a text
// alternative, grey on white text, a field without a label) axe-core must report each problem.
func (h *harness) axeSelfTest(t *testing.T) {
	tb := h.newTab(t, "en", "axe")
	tb.do("open the home page", chromedp.Navigate(h.Portal+"/?lang=en"))
	eval[bool](tb, `(() => {
		const main = document.querySelector("main");
		main.insertAdjacentHTML("beforeend", '<img src="/static/none.png"><p id="faint">Faint text</p><input type="text">');
		// Through the CSSOM: the Content-Security-Policy ignores style attributes in markup.
		document.getElementById("faint").style.color = "#bbb";
		return true;
	})()`)
	var got []string
	for _, v := range h.runAxe(tb, "spoiled-home") {
		got = append(got, v.ID)
	}
	for _, want := range []string{"color-contrast", "image-alt", "label"} {
		if !slices.Contains(got, want) {
			t.Errorf("axe-core did not report %s on a page made to fail it; it reported %v", want, got)
		}
	}
}
