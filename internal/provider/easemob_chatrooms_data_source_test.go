package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// More rooms than one page of the listing (100) are all listed, by
// following the cursor.
func TestEasemobChatroomsDataSource(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	const n = 105
	want := map[string]string{} // id -> "name/owner"
	for i := 0; i < n; i++ {
		res, err := env.client.Chatrooms.Create(context.Background(), &easemob.CreateRequest{
			Name: fmt.Sprintf("room-%03d", i), Description: "d", Owner: fmt.Sprintf("owner%d", i%3),
		})
		if err != nil {
			t.Fatalf("creating room %d: %v", i, err)
		}
		want[res.ID] = fmt.Sprintf("room-%03d/owner%d", i, i%3)
	}
	const ds = "data.nim_easemob_chatrooms.all"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: env.config(`data "nim_easemob_chatrooms" "all" {}`),
			Check: func(s *terraform.State) error {
				rs := s.RootModule().Resources[ds]
				if rs == nil {
					return fmt.Errorf("%s not in state", ds)
				}
				a := rs.Primary.Attributes
				if a["chatrooms.#"] != fmt.Sprint(n) {
					return fmt.Errorf("want %d chatrooms, got %s", n, a["chatrooms.#"])
				}
				seen := map[string]bool{}
				for i := 0; i < n; i++ {
					id := a[fmt.Sprintf("chatrooms.%d.id", i)]
					got := a[fmt.Sprintf("chatrooms.%d.name", i)] + "/" + a[fmt.Sprintf("chatrooms.%d.owner", i)]
					if want[id] != got || seen[id] {
						return fmt.Errorf("chatrooms.%d: id %s shows %q, want %q (seen before: %v)", i, id, got, want[id], seen[id])
					}
					seen[id] = true
				}
				if pages := env.count("GET", `^/chatrooms$`); pages < 2 {
					return fmt.Errorf("want the listing read in at least 2 pages, %d requests", pages)
				}
				return nil
			},
		}},
	})
}
