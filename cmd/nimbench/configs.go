package main

import (
	"fmt"
	"strings"
)

// providerHeader is the terraform and provider blocks of every NIM workspace.
// The provider reads NIM_ENDPOINT, NIM_APP_KEY and NIM_APP_SECRET from the
// environment; batch_reads and requests_per_second come from -var so that one
// state serves every variant.
const providerHeader = `terraform {
  required_providers {
    nim = {
      source = "nimtf/nim"
    }
  }
}

variable "batch_reads" {
  type    = bool
  default = true
}

variable "rps" {
  type    = number
  default = null # the provider's default
}

provider "nim" {
  batch_reads         = var.batch_reads
  requests_per_second = var.rps
}
`

func chatroomConfig(n int, creator string) string {
	return providerHeader + fmt.Sprintf(`
resource "nim_chatroom" "r" {
  count   = %d
  creator = %q
  name    = "room-${count.index}"
}
`, n, creator)
}

// floorConfig is n terraform_data resources: what Terraform itself costs for
// n resources with no API behind them.
func floorConfig(n int) string {
	return fmt.Sprintf(`resource "terraform_data" "r" {
  count = %d
  input = "room-${count.index}"
}
`, n)
}

// estate is the QChat estate: one server, its channels and custom roles, and
// channel roles spread so that every channel overrides rolesPerChannel
// distinct server roles.
type estate struct {
	channels, roles, rolesPerChannel int
}

func (e estate) resources() int {
	return 1 + e.channels + e.roles + e.channels*e.rolesPerChannel
}

func (e estate) String() string {
	return fmt.Sprintf("1 server, %d channels, %d roles, %d channel roles", e.channels, e.roles, e.channels*e.rolesPerChannel)
}

func (e estate) config() string {
	var b strings.Builder
	b.WriteString(providerHeader)
	fmt.Fprintf(&b, `
resource "nim_qchat_server" "s" {
  owner = "bench-owner"
  name  = "bench estate"
}

resource "nim_qchat_channel" "c" {
  count     = %d
  server_id = nim_qchat_server.s.id
  name      = "channel-${count.index}"
}

resource "nim_qchat_role" "r" {
  count     = %d
  server_id = nim_qchat_server.s.id
  name      = "role-${count.index}"
}

# Channel role i overrides server role (c + i / channels) %% roles in channel
# c = i %% channels: distinct roles within each channel.
resource "nim_qchat_channel_role" "cr" {
  count          = %d
  server_id      = nim_qchat_server.s.id
  channel_id     = nim_qchat_channel.c[count.index %% %d].id
  server_role_id = nim_qchat_role.r[(count.index %% %d + floor(count.index / %d)) %% %d].id

  permissions {
    send_message = "deny"
  }
}
`, e.channels, e.roles, e.channels*e.rolesPerChannel, e.channels, e.channels, e.channels, e.roles)
	return b.String()
}
