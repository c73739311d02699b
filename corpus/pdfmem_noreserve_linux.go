package corpus

import "syscall"

// mapNoReserve maps without reserving swap space for the whole mapping.
const mapNoReserve = syscall.MAP_NORESERVE
