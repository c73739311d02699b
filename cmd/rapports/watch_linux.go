package main

import (
	"fmt"
	"syscall"
)

// networkFilesystems are the filesystems (statfs magic numbers) where
// changes made by other machines raise no inotify events.
var networkFilesystems = map[int64]string{
	0x6969:     "NFS",
	0x517b:     "SMB",
	0xfe534d42: "SMB2",
	0xff534d42: "CIFS",
	0x65735546: "FUSE",
	0x01021997: "9P",
	0x00c36400: "Ceph",
	0x5346414f: "AFS",
	0x73757245: "Coda",
	0x47504653: "GPFS",
	0x0bd00bd0: "Lustre",
}

// unreliableEvents returns why file events cannot be trusted for dir (a
// network filesystem), or "".
func unreliableEvents(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return ""
	}
	if name, ok := networkFilesystems[int64(st.Type)]; ok {
		return fmt.Sprintf("%s is on a %s filesystem, whose changes made elsewhere raise no file events", dir, name)
	}
	return ""
}
