# Import a QChat server by its server id.
import {
  to = nim_qchat_server.community
  identity = {
    server_id = "1513535"
  }
}
