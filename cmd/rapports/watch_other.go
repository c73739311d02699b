//go:build !linux

package main

// unreliableEvents returns why file events cannot be trusted for dir: on
// systems other than Linux, fsnotify's own errors say it.
func unreliableEvents(string) string { return "" }
