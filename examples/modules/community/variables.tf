variable "name" {
  description = "Name of the QChat server, 1 to 64 characters."
  type        = string

  validation {
    condition     = length(var.name) >= 1 && length(var.name) <= 64
    error_message = "The server name must be 1 to 64 characters."
  }
}

variable "owner" {
  description = "Account (accid) that owns the server, its channels and the chatroom."
  type        = string
}

variable "icon" {
  description = "Icon URL of the server; empty for none."
  type        = string
  default     = ""
}

variable "moderators" {
  description = "Accounts made server members and given the moderators role: they manage channels, recall and delete messages, kick members, and may post in read-only channels."
  type        = set(string)
  default     = []
}

variable "members" {
  description = "Other accounts made server members (the owner is one already)."
  type        = set(string)
  default     = []
}

variable "channels" {
  description = <<-EOT
    Channels by name. `read_only`: @everyone may not send messages there,
    moderators may. `private`: only moderators see the channel.
  EOT
  type = map(object({
    topic     = optional(string, "")
    read_only = optional(bool, false)
    private   = optional(bool, false)
  }))
  default = {
    general       = { topic = "Anything goes" }
    announcements = { topic = "News from the team", read_only = true }
  }

  validation {
    condition     = alltrue([for name, c in var.channels : length(name) >= 1 && length(name) <= 64 && length(c.topic) <= 64])
    error_message = "Channel names must be 1 to 64 characters and topics at most 64."
  }
}

variable "chatroom" {
  description = "A chatroom for live events, created by the owner; null for none."
  type = object({
    name         = string
    announcement = optional(string, "")
  })
  default = null
}

variable "easemob_chatroom" {
  description = <<-EOT
    A chatroom on Easemob (环信) for live events; null for none. `owner`
    defaults to the module's owner, who must then be a valid Easemob user id
    (lower-case letters, digits, `_`, `-`, `.`). `max_users` defaults to
    Easemob's own default (1000).
  EOT
  type = object({
    name         = string
    description  = string
    owner        = optional(string)
    max_users    = optional(number)
    announcement = optional(string, "")
  })
  default = null
}
