terraform init -input=false
terraform test
