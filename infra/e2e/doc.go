// Package e2e holds Talap's browser tests: the citizen, respondent and court journeys driven in
// headless Chromium (chromedp) in Kazakh, Russian and English, against the portal, the national-eID
// simulator and the worker running in-process on the real local services (PostgreSQL, Redis, MinIO,
// Mailpit). Every page the journeys visit is checked with axe-core (WCAG 2.0 A/AA and 2.1 AA, zero
// violations allowed); one step is completed by keyboard alone; the filing journey also runs with
// JavaScript disabled.
//
// The tests need /usr/bin/chromium and axe-core (infra/e2e/node_modules, pinned in package-lock.json);
// `make test` installs both. Without Chromium the tests skip, unless CI is set.
//
// Environment:
//
//	TALAP_E2E_SHOTS=/tmp/e2e-shots   also save a full-page screenshot of every page at 360 px and
//	                                 1280 px wide, for reviewing the look
//
// Screenshots of each step of a failed test are saved under .state/e2e/ (git-ignored).
package e2e
