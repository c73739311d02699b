package index

import (
	"github.com/blevesearch/bleve/v2/index/scorch"

	zap "github.com/rapports/rapports/internal/zapx"
)

// The segments of rapports' indexes are written in rapports' own segment
// format, internal/zapx: a minimal fork of Bleve's zapx v17 (see
// internal/zapx/FORK.md for what differs and why) registered with Scorch as
// its own segment type and version. Indexes built before it (zapx v17
// segments, SchemaVersion 6) still open in Bleve, and Open then asks for a
// re-index.
func init() {
	scorch.RegisterSegmentPlugin(&zap.ZapPlugin{}, false)
}

// segmentConfig is the part of every index's Scorch config that chooses
// the segment format of the segments it writes.
var segmentConfig = map[string]any{
	"forceSegmentType":    zap.Type,
	"forceSegmentVersion": int(zap.Version),
}
