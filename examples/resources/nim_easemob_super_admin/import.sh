# Import by the username.
terraform import nim_easemob_super_admin.ops ops01
