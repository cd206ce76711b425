//go:build !linux

package main

// fsType names the filesystem dir is on; only Linux is told apart.
func fsType(dir string) string { return "filesystem" }
