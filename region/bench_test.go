package region

import (
	"strings"
	"testing"
)

func BenchmarkMentions(b *testing.B) {
	text := strings.Repeat("2023年，我局认真贯彻《条例》，杭州市临平区交通运输局全年收到申请11件。", 60)
	for b.Loop() {
		Mentions(text, 8)
	}
}
