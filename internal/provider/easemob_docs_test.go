package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEasemobDocsFrontMatter: every Easemob page, resource or data source,
// is filed under the Easemob subcategory with the same title form, so that
// the registry lists them together.
func TestEasemobDocsFrontMatter(t *testing.T) {
	var pages []string
	for _, dir := range []string{"resources", "data-sources"} {
		m, err := filepath.Glob(filepath.Join("..", "..", "docs", dir, "easemob_*.md"))
		if err != nil {
			t.Fatal(err)
		}
		if len(m) == 0 {
			t.Fatalf("no Easemob pages in docs/%s", dir)
		}
		pages = append(pages, m...)
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		front, _, _ := strings.Cut(strings.TrimPrefix(string(b), "---\n"), "\n---\n")
		if !strings.Contains(front, "\nsubcategory: \"Easemob\"\n") {
			t.Errorf("%s: front matter lacks subcategory \"Easemob\":\n%s", p, front)
		}
		if title, _, _ := strings.Cut(front, "\n"); !strings.HasPrefix(title, "page_title: ") || !strings.HasSuffix(title, ` - nim"`) {
			t.Errorf("%s: first line %q, want page_title: \"... - nim\"", p, title)
		}
	}
}
