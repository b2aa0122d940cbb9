terraform {
  # Optional object attributes with defaults, and `terraform test`.
  required_version = ">= 1.6"

  required_providers {
    nim = {
      source = "nimtf/nim"
    }
  }
}
