// Conversions between plan or state values and the optional fields of API
// requests.
package provider

import "github.com/hashicorp/terraform-plugin-framework/types"

// intPtr points at a copy of v, for optional numeric request fields.
func intPtr(v int) *int { return &v }

// changedString returns the planned value when it differs from the prior
// one, for update requests that send only what changed.
func changedString(planned, prior types.String) *string {
	if planned.Equal(prior) || planned.IsUnknown() {
		return nil
	}
	return planned.ValueStringPointer()
}
