// Package compose holds the tests that pin down docker-compose.yml, the production-like stack, and
// the Keycloak realm it imports. It has no code of its own; the tests need neither Docker nor a
// network.
package compose
