package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsFrontMatter: every resource, data source and list resource page is
// filed under its API's subcategory (Chatroom, QChat, Easemob) with the same
// title form, so that the registry lists each API's pages together.
func TestDocsFrontMatter(t *testing.T) {
	t.Parallel()
	counts := map[string]int{}
	for _, dir := range []string{"resources", "data-sources", "list-resources"} {
		pages, err := filepath.Glob(filepath.Join("..", "..", "docs", dir, "*.md"))
		if err != nil {
			t.Fatal(err)
		}
		if len(pages) == 0 {
			t.Fatalf("no pages in docs/%s", dir)
		}
		for _, p := range pages {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimSuffix(filepath.Base(p), ".md")
			want := "Chatroom"
			switch {
			case strings.HasPrefix(name, "qchat_"):
				want = "QChat"
			case strings.HasPrefix(name, "easemob_"):
				want = "Easemob"
			}
			counts[want]++
			front, _, _ := strings.Cut(strings.TrimPrefix(string(b), "---\n"), "\n---\n")
			if !strings.Contains(front, "\nsubcategory: \""+want+"\"\n") {
				t.Errorf("%s: front matter lacks subcategory %q:\n%s", p, want, front)
			}
			if title, _, _ := strings.Cut(front, "\n"); !strings.HasPrefix(title, "page_title: \"nim_"+name+" ") || !strings.HasSuffix(title, ` - NIM"`) {
				t.Errorf("%s: first line %q, want page_title: \"nim_%s ... - NIM\"", p, title, name)
			}
		}
	}
	for _, api := range []string{"Chatroom", "QChat", "Easemob"} {
		if counts[api] == 0 {
			t.Errorf("no %s pages", api)
		}
	}
}
