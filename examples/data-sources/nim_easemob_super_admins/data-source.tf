data "nim_easemob_super_admins" "all" {}

output "super_admins" {
  value = data.nim_easemob_super_admins.all.usernames
}
