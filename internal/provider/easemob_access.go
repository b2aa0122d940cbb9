// What the Easemob access-control resources share: the room id and user id
// attributes, membership and owner look-ups, and the diagnostics for the
// per-user answers of the Easemob API.
package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

const (
	easemobUserRule = "1 to 64 characters of lower-case letters, digits, \"_\", \"-\" or \".\" (Easemob user ids are case-insensitive and answered in lower case)"
	easemobRoomRule = "an Easemob chatroom id: 1 to 64 digits or lower-case letters"
)

// easemobRoomAttribute is the room a resource belongs to; another room is
// another object.
func easemobRoomAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Id of the Easemob chatroom, e.g. `nim_easemob_chatroom.x.id`. Changing it replaces the resource.",
		Required:            true,
		Validators:          []validator.String{easemobRoomIDValidator()},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// easemobUserAttribute is the user a resource is about.
func easemobUserAttribute(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc + " " + strings.ToUpper(easemobUserRule[:1]) + easemobUserRule[1:] + ". Changing it replaces the resource.",
		Required:            true,
		Validators:          []validator.String{easemobUserValidator()},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// parseEasemobPairID splits an import id <room_id>/<username>. The
// username is folded to lower case: the API folds user ids, and the
// configuration holds them in lower case.
func parseEasemobPairID(id string) (room, user string, err error) {
	room, user, ok := strings.Cut(id, "/")
	user = strings.ToLower(user)
	switch {
	case !ok:
		return "", "", fmt.Errorf("expected <room_id>/<username>, got %q", id)
	case !easemobRoomIDPattern.MatchString(room):
		return "", "", fmt.Errorf("the room id %q is not %s", room, easemobRoomRule)
	case !easemobUserPattern.MatchString(user):
		return "", "", fmt.Errorf("the username %q is not %s", user, easemobUserRule)
	}
	return room, user, nil
}

// roomMembers is a room's membership as the member list shows it: the
// owner, and the other members (admins included).
type roomMembers struct {
	owner   string
	members map[string]bool
}

func (m *roomMembers) has(u string) bool { return u == m.owner || m.members[u] }

// readMembers lists every member of a room (GET /chatrooms/{id}/users, all
// pages). A missing room is the client's not-found error.
func readMembers(ctx context.Context, c *easemob.Client, room string) (*roomMembers, error) {
	page, err := c.Members.ListAll(ctx, room)
	if err != nil {
		return nil, err
	}
	out := &roomMembers{members: map[string]bool{}}
	for _, m := range page.Members {
		u := strings.ToLower(m.Username)
		if m.Owner {
			out.owner = u
		} else {
			out.members[u] = true
		}
	}
	return out, nil
}

// lowerAll folds the user ids of an answer, which should already be lower
// case, so that comparisons with the configuration never depend on it.
func lowerAll(users []string) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = strings.ToLower(u)
	}
	return out
}

// userErrorDiag is easemobErrorDiag for calls on users: the users a batch
// answer refused are listed one by one, with the API's reason.
func userErrorDiag(summary string, err error) diag.Diagnostic {
	if be, ok := easemob.AsBatchError(err); ok {
		return diag.NewErrorDiagnostic(summary, batchErrorDetail(be))
	}
	return easemobErrorDiag(summary, err)
}

// batchErrorDetail names every user the API refused, with its reason, and
// every user whose change is unknown or was not applied, so that nothing
// half-applied goes unreported.
func batchErrorDetail(be *easemob.BatchError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The Easemob API did not apply %s", be.Op)
	if be.Room != "" {
		fmt.Fprintf(&b, " in chatroom %s", be.Room)
	}
	b.WriteString(" for every user:\n")
	for _, f := range be.Failed {
		fmt.Fprintf(&b, "  - %s: refused: %s\n", f.User, f.Reason)
	}
	for _, u := range be.Unknown {
		fmt.Fprintf(&b, "  - %s: sent, but no answer arrived (it may or may not have been applied)\n", u)
	}
	for _, u := range be.NotSent {
		fmt.Fprintf(&b, "  - %s: not applied\n", u)
	}
	if be.Cause != nil {
		fmt.Fprintf(&b, "\nCause: %s\n", easemobErrorDetail(be.Cause))
	}
	b.WriteString("\nThe users not listed were changed. Terraform's state holds what the API shows now; " +
		"run terraform plan to see what remains, fix the cause, and apply again.")
	return b.String()
}

// alreadyExistsDiag refuses a create that would take over an object that
// exists already: whoever made it did not mean Terraform to manage it, or
// another resource manages it already.
func alreadyExistsDiag(what, importID string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Easemob "+what+" already exists",
		fmt.Sprintf("%s already exists, and a create never takes over an object it did not make. "+
			"To manage it with this resource, import it:\n\n  terraform import ADDRESS %s\n\n"+
			"where ADDRESS is this resource's address (or use an import block with id = %q). If another "+
			"resource of this configuration manages it under an old address, use a moved block instead of "+
			"declaring it twice.", upperFirst(what), importID, importID))
}

// notMembersDiag says which users lack the membership an operation needs,
// and what to declare.
func notMembersDiag(summary, room string, users []string, what string) diag.Diagnostic {
	sort.Strings(users)
	who := strings.Join(users, ", ") + " are not members"
	if len(users) == 1 {
		who = users[0] + " is not a member"
	}
	return diag.NewErrorDiagnostic(summary,
		fmt.Sprintf("%s needs membership of the chatroom, and %s of chatroom %s. Nothing was changed. "+
			"Declare a nim_easemob_chatroom_member for each of them and add depends_on = [those members] to this "+
			"resource, so that the members are added first. Ordinary members who stay offline leave the room after "+
			"a few minutes; allow-listed users do not.", upperFirst(what), who, room))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// addOnce sends a write that adds one thing (a member, a mute, a super
// admin) that was not there just before, and after a lost answer looks
// with found before sending it again (easemob.CreateOrAdopt): what is
// there now was made by this write. record is true when the outcome stayed
// unknown: the caller then stores the object together with the error, so
// that Terraform marks it tainted and the next apply replaces it, or
// creates it when the refresh finds nothing, rather than refusing it as an
// object that exists already.
func addOnce(ctx context.Context, add func(context.Context) error, found func(context.Context) (bool, error)) (err error, record bool) {
	_, err = easemob.CreateOrAdopt(ctx, easemob.DefaultCreateAttempts,
		func(ctx context.Context) (struct{}, error) { return struct{}{}, add(ctx) },
		func(ctx context.Context) (struct{}, bool, error) {
			ok, err := found(ctx)
			return struct{}{}, ok, err
		})
	return err, easemob.IsOutcomeUnknown(err)
}
