# Import a super admin by its user id.
import {
  to = nim_easemob_super_admin.ops
  identity = {
    username = "ops01"
  }
}
