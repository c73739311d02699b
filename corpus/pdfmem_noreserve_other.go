//go:build darwin || freebsd || netbsd || openbsd

package corpus

// mapNoReserve: no such flag here (mappings are not reserved in advance).
const mapNoReserve = 0
