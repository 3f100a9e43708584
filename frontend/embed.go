// Package frontend holds what the portal shows people: page templates, static assets and the
// translation catalogs (kk, ru, en), embedded into the binary.
package frontend

import (
	"embed"
	"io/fs"
	"net/http"
)

// Templates are html/template files; each page defines "title" and "content" for layout.html.
//
//go:embed templates/*.html
var Templates embed.FS

// Static holds the stylesheet, scripts and images served under /static.
//
//go:embed static
var Static embed.FS

// Locales holds one go-i18n catalog per language: kk.json, ru.json, en.json.
//
//go:embed locales/*.json
var Locales embed.FS

// Mail holds the e-mail templates: notice.html and notice.txt.
//
//go:embed mail/*
var Mail embed.FS

// OpenAPI is the public API contract, served at /api/v1/openapi.json.
//
//go:embed api/openapi.json
var OpenAPI []byte

// StaticFS is Static rooted at its folder, for serving under /static.
func StaticFS() http.FileSystem {
	sub, err := fs.Sub(Static, "static")
	if err != nil {
		panic(err) // the folder is embedded above; this cannot fail
	}
	return http.FS(sub)
}
