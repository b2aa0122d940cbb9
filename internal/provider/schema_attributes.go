// Attribute builders shared by resource and data source schemas, so that
// the same kind of attribute is described and validated the same way.
package provider

import (
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// optionalString is an optional text attribute that defaults to empty and
// is at most maxChars characters long.
func optionalString(desc string, maxChars int) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc + " Default empty.",
		Optional:            true,
		Computed:            true,
		Default:             stringdefault.StaticString(""),
		Validators:          []validator.String{lengthAtMost(maxChars)},
	}
}

// accidAttribute is a required account that identifies the object.
func accidAttribute(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc + " 1 to 32 characters. Changing it replaces the resource.",
		Required:            true,
		Validators:          []validator.String{lengthBetween(1, 32)},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

func idAttribute(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// parentIDAttribute is a required id of an enclosing object; a new value
// means a new object.
func parentIDAttribute(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc + " Changing it replaces the resource.",
		Required:            true,
		Validators:          []validator.String{numericID{}},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// lookupIDAttribute is the id a data source reads by. It is validated at
// plan time, so a malformed id fails before any API call.
func lookupIDAttribute(desc string) dsschema.StringAttribute {
	return dsschema.StringAttribute{
		MarkdownDescription: desc,
		Required:            true,
		Validators:          []validator.String{numericID{}},
	}
}

func readString(desc string) dsschema.StringAttribute {
	return dsschema.StringAttribute{MarkdownDescription: desc, Computed: true}
}

func readBool(desc string) dsschema.BoolAttribute {
	return dsschema.BoolAttribute{MarkdownDescription: desc, Computed: true}
}

func readInt64(desc string) dsschema.Int64Attribute {
	return dsschema.Int64Attribute{MarkdownDescription: desc, Computed: true}
}
