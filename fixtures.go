package nianbao

import "embed"

// Fixtures are the bundled sample reports (fixtures/), so the demo runs
// from the binary alone with no network and no checkout.
//
//go:embed fixtures/*.html fixtures/*.txt fixtures/*.md fixtures/*.pdf fixtures/*.docx
var Fixtures embed.FS
